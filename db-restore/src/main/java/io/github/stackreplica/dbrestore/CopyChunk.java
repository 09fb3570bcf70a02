package io.github.stackreplica.dbrestore;

/**
 * Whole rows of one COPY block: the first {@code length} bytes of {@code data}. A row longer than a chunk starts at the
 * end of {@code data} and goes on through {@code tail}, so that it reaches one connection in one piece.
 *
 * @param tail the rest of the last row, or null when the chunk ends on a row boundary
 */
record CopyChunk(byte[] data, int length, CopyPipe tail) {
}
