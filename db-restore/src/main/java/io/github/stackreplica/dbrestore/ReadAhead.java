package io.github.stackreplica.dbrestore;

import java.io.InputStream;
import java.util.function.Supplier;

/**
 * How to read the dump a second (and third) time, for the read-ahead of index statements and the ahead loader.
 *
 * @param dump    opens the decompressed dump from its start
 * @param cluster whether it is a pg_dumpall script
 */
record ReadAhead(Supplier<InputStream> dump, boolean cluster) {
}
