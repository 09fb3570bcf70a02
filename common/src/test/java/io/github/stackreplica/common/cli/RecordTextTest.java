package io.github.stackreplica.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordTextTest {

    private record Options(String host, int port, List<String> excludes, Duration settle, Secret password) {
    }

    private record Empty() {
    }

    @Test
    void showsARecordExactlyAsItsGeneratedToStringDoes() {
        Options options = new Options("db", 5432, List.of("lost+found/"), Duration.ofMinutes(2),
                Secret.of("hunter2"));

        assertEquals(options.toString(), RecordText.of(options));
        assertEquals(new Empty().toString(), RecordText.of(new Empty()));
    }

    @Test
    void showsAnythingElseAsItsToString() {
        assertEquals("plain", RecordText.of("plain"));
        assertEquals("null", RecordText.of(null));
    }
}
