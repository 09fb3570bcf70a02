package io.github.stackreplica.dbrestore;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One backup file: {@code <tier>/backup-<YYYY-MM-DDTHH:MM:SS>Z-<suffix>.sql.gz}, where the suffix is
 * {@code dumpall} or the name of the one database dumped.
 *
 * @param stamp the timestamp as written in the name, e.g. {@code 2025-11-24T02:00:01}
 * @param tier  hourly, daily, weekly or monthly (or the parent directory of a file given with --backup)
 */
record Backup(Path path, String stamp, Instant timestamp, String tier, String suffix, long size) {

    static final String DUMPALL = "dumpall";

    private static final Pattern NAME = Pattern.compile(
            "backup-(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})Z-([A-Za-z0-9_$.-]+)\\.sql\\.gz");

    /** The backup the file name describes, or null when the name does not follow the pattern. */
    static Backup fromName(Path path, long size) {
        Matcher name = NAME.matcher(path.getFileName().toString());
        if (!name.matches()) {
            return null;
        }
        try {
            Instant timestamp = LocalDateTime.parse(name.group(1)).toInstant(ZoneOffset.UTC);
            Path parent = path.getParent();
            return new Backup(path, name.group(1), timestamp, parent == null ? "" : parent.getFileName().toString(),
                    name.group(2), size);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    boolean isDumpall() {
        return DUMPALL.equals(suffix);
    }
}
