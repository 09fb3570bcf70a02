package io.github.stackreplica.dbrestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DumpInputTest {

    /** Hands out at most a few bytes per read, so that lines straddle every buffer boundary. */
    private static InputStream trickling(String text, int step) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static String copy(DumpInput input) throws Exception {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        input.copyData(data::write);
        return data.toString(StandardCharsets.UTF_8);
    }

    @Test
    void passesCopyDataThroughUntouchedUpToTheTerminatorLine() throws Exception {
        String data = "1\ta\\tb\\nc\n2\t\\\\.\n3\t\\N\n4\t\\.x\n";
        for (int step : new int[] {1, 2, 3, 7, 1 << 20}) {
            DumpInput input = new DumpInput(trickling("COPY t FROM stdin;\n" + data + "\\.\nSELECT 1;\n", step));
            assertEquals("COPY t FROM stdin;", input.readLine());
            assertEquals(data, copy(input), "step " + step);
            assertEquals(6, input.lineNumber());
            assertEquals("SELECT 1;", input.readLine());
            assertNull(input.readLine());
        }
    }

    @Test
    void passesOnLinesLongerThanItsBuffer() throws Exception {
        String longValue = "x".repeat(3 << 20);
        DumpInput input = new DumpInput(new ByteArrayInputStream(("1\t" + longValue + "\n2\tb\n\\.\n" + longValue + ";\n")
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals("1\t" + longValue + "\n2\tb\n", copy(input));
        assertEquals(longValue + ";", input.readLine());
    }

    @Test
    void reportsCopyDataThatEndsWithoutTerminator() {
        DumpInput input = new DumpInput(trickling("1\ta\n2\tb\n", 3));
        DumpInput.TruncatedDumpException e = assertThrows(DumpInput.TruncatedDumpException.class, () -> copy(input));
        assertTrue(e.getMessage().contains("ends inside the COPY data"), e.getMessage());
    }

    @Test
    void keepsCarriageReturnsInsideSqlLines() throws Exception {
        DumpInput input = new DumpInput(trickling("SELECT 'a\r';\n", 2));
        assertEquals("SELECT 'a\r';", input.readLine());
    }
}
