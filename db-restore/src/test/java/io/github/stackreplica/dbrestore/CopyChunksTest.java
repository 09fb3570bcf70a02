package io.github.stackreplica.dbrestore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CopyChunksTest {

    /** What one connection would receive for one chunk: its bytes followed by its tail, if any. */
    private record Received(byte[] bytes, boolean hadTail) {
    }

    private static List<Received> split(byte[] data, int step) throws Exception {
        List<CompletableFuture<Received>> chunks = new ArrayList<>();
        CopyChunks splitter = new CopyChunks(() -> new byte[CopyChunks.SIZE], chunk -> {
            byte[] head = Arrays.copyOf(chunk.data(), chunk.length());
            chunks.add(chunk.tail() == null ? CompletableFuture.completedFuture(new Received(head, false))
                    : CompletableFuture.supplyAsync(() -> drain(head, chunk.tail())));
        }, () -> { });
        for (int offset = 0; offset < data.length; offset += step) {
            splitter.write(data, offset, Math.min(step, data.length - offset));
        }
        splitter.close();
        List<Received> received = new ArrayList<>();
        for (CompletableFuture<Received> chunk : chunks) {
            received.add(chunk.get(10, TimeUnit.SECONDS));
        }
        return received;
    }

    private static Received drain(byte[] head, CopyPipe tail) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head);
        try {
            for (byte[] piece = tail.take(); piece != null; piece = tail.take()) {
                all.writeBytes(piece);
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return new Received(all.toByteArray(), true);
    }

    private static byte[] rows(int count, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes((i + "\t" + "x".repeat(length) + "\\n" + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void cutsDataIntoChunksOfAboutOneMebibyteThatEachEndWithAWholeRow() throws Exception {
        byte[] data = rows(40_000, 100);
        for (int step : new int[] {1 << 20, 65_536, 7_777}) {
            List<Received> chunks = split(data, step);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Received chunk : chunks) {
                assertEquals('\n', chunk.bytes()[chunk.bytes().length - 1], "a chunk ends with a whole row");
                assertTrue(chunk.bytes().length <= CopyChunks.SIZE);
                joined.writeBytes(chunk.bytes());
            }
            assertArrayEquals(data, joined.toByteArray(), "step " + step);
            for (Received chunk : chunks.subList(0, chunks.size() - 1)) {
                assertTrue(chunk.bytes().length > CopyChunks.SIZE - 200, "full but for less than a row: " + chunk.bytes().length);
            }
        }
    }

    @Test
    void passesARowLongerThanAChunkToOneReceiverThroughTheChunksTail() throws Exception {
        byte[] before = rows(3, 10);
        byte[] huge = ("7\t" + "y".repeat(3 * CopyChunks.SIZE + 123) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] after = rows(5, 10);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(before);
        data.writeBytes(huge);
        data.writeBytes(after);
        List<Received> chunks = split(data.toByteArray(), 1 << 20);
        assertArrayEquals(before, chunks.get(0).bytes(), "the rows before the long one, in a chunk of their own");
        Received tailed = chunks.stream().filter(Received::hadTail).findFirst().orElse(null);
        assertNotNull(tailed, chunks.toString());
        assertArrayEquals(huge, tailed.bytes(), "the whole long row reaches one receiver");
        assertArrayEquals(after, chunks.get(chunks.size() - 1).bytes());
    }

    @Test
    void aBlockWithoutRowsStillYieldsOneEmptyChunkSoThatItsCopyRuns() throws Exception {
        List<Received> chunks = split(new byte[0], 1);
        assertEquals(1, chunks.size());
        assertEquals(0, chunks.get(0).bytes().length);
        assertFalse(chunks.get(0).hadTail());
    }
}
