package io.github.stackreplica.dbrestore;

import io.github.stackreplica.testsupport.Postgres;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/** Real dumps made with this machine's pg_dump/pg_dumpall, stored the way production stores backups. */
final class Dumps {

    private Dumps() {
    }

    /** Runs {@code pg_dumpall} or {@code pg_dump} (from PATH) against the server and returns the SQL text. */
    static String run(Postgres postgres, String program, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(postgres.env());
        Process process = builder.start();
        String sql = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + " exited " + process.exitValue());
        }
        return sql;
    }

    /** {@code pg_dump} of one database, without the lines that differ from run to run ({@code \restrict} keys). */
    static String comparable(Postgres postgres, String database) throws IOException, InterruptedException {
        return run(postgres, "pg_dump", "--no-comments", database).lines()
                .filter(line -> !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict"))
                .collect(Collectors.joining("\n"));
    }

    /**
     * The dump with the rows of each COPY block sorted. SQL tables are unordered: a table loaded on several connections
     * at once ({@code --split-tables}) holds the same rows in another physical order, which pg_dump then follows.
     */
    static String withSortedRows(String dump) {
        List<String> out = new ArrayList<>();
        List<String> rows = null;
        for (String line : dump.split("\n", -1)) {
            if (rows != null && line.equals("\\.")) {
                rows.sort(null);
                out.addAll(rows);
                rows = null;
            }
            if (rows != null) {
                rows.add(line);
            } else {
                out.add(line);
                if (line.startsWith("COPY ") && line.endsWith(" FROM stdin;")) {
                    rows = new ArrayList<>();
                }
            }
        }
        return String.join("\n", out);
    }

    /** Gzips {@code sql} into {@code root/tier/backup-<stamp>Z-<suffix>.sql.gz}, last modified {@code modified}. */
    static Path store(Path root, String tier, String stamp, String suffix, String sql, Instant modified) throws IOException {
        Path file = root.resolve(tier).resolve("backup-" + stamp + "Z-" + suffix + ".sql.gz");
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(sql.getBytes(StandardCharsets.UTF_8));
        }
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
