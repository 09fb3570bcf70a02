package io.github.stackreplica.dbrestore;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the dump ahead, on its own thread, for the index, primary-key and unique statements of one database that
 * come after their table's data. With them the restore can build a table's indexes as soon as its data is loaded,
 * while the next tables load, instead of waiting for the end of the dump. Only a speed-up: when it has not finished
 * (or failed) the restore simply runs those statements where the dump has them.
 */
final class PostDataPrescan implements Runnable {

    /** An index statement found ahead, with the session settings in force where the dump has it. */
    record Early(String sql, long line, boolean shared, List<String> settings) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PostDataPrescan.class);

    private final Supplier<InputStream> dump;
    private final boolean cluster;
    private final String database;
    private final Map<String, List<Early>> byTable = new HashMap<>();
    private volatile boolean complete;

    /**
     * @param dump     opens the decompressed dump again
     * @param cluster  whether it is a pg_dumpall script (then only the section of {@code database} counts)
     */
    PostDataPrescan(Supplier<InputStream> dump, boolean cluster, String database) {
        this.dump = dump;
        this.cluster = cluster;
        this.database = database;
    }

    /** Starts reading ahead on a daemon thread. */
    PostDataPrescan start() {
        Thread thread = new Thread(this, "prescan-" + database);
        thread.setDaemon(true);
        thread.setPriority(Thread.NORM_PRIORITY - 1);
        thread.start();
        return this;
    }

    /** True once the whole dump has been read ahead. */
    boolean complete() {
        return complete;
    }

    /** The index statements for {@code table} found after its data; empty until the read-ahead is complete. */
    List<Early> forTable(String table) {
        if (!complete) {
            return List.of();
        }
        return byTable.getOrDefault(table, List.of());
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        try (DumpScanner scanner = new DumpScanner(new DumpInput(dump.get()))) {
            boolean inSection = !cluster;
            List<String> settings = new ArrayList<>();
            Set<String> loaded = new HashSet<>();
            for (DumpItem item = scanner.next(); item != null; item = scanner.next()) {
                if (item instanceof DumpItem.Meta meta && cluster && ("connect".equals(meta.command()) || "c".equals(meta.command()))) {
                    inSection = database.equals(DumpRouter.connectTarget(meta.argument()));
                    settings = new ArrayList<>();
                    loaded.clear();
                } else if (item instanceof DumpItem.Copy copy) {
                    scanner.copyData((bytes, offset, length) -> { });
                    loaded.add(copy.table());
                } else if (item instanceof DumpItem.Sql sql && inSection) {
                    Statements.Classified kind = Statements.classify(sql.text());
                    if (kind.kind() == Statements.Kind.SESSION) {
                        settings.add(sql.text());
                    } else if (kind.kind() == Statements.Kind.INDEX && loaded.contains(kind.name())) {
                        byTable.computeIfAbsent(kind.name(), t -> new ArrayList<>())
                                .add(new Early(sql.text(), sql.line(), kind.shared(), List.copyOf(settings)));
                    }
                }
            }
            complete = true;
            LOG.debug("Read ahead {} index statements for {} tables in {} ms", byTable.values().stream().mapToInt(List::size).sum(),
                    byTable.size(), (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Reading ahead stopped ({}); indexes are built where the dump has them", e.toString());
        }
    }
}
