package io.github.stackreplica.dbrestore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CopyClaimsTest {

    private final CopyClaims claims = new CopyClaims();

    @Test
    void aBlockTheMainReaderReachedFirstIsNotLoadedAhead() {
        assertTrue(claims.claimForMain(10));
        assertFalse(claims.claimAhead(10));
    }

    @Test
    void theAheadLoaderStartsOnlyOnceTheMainReaderHasRunTheStatementsBeforeTheBlock() throws Exception {
        assertTrue(claims.claimAhead(20));
        AtomicBoolean registered = new AtomicBoolean();
        CompletableFuture<Boolean> ahead = CompletableFuture.supplyAsync(
                () -> claims.awaitMainThenRegister(15, 20, () -> registered.set(true)));
        Thread.sleep(300);
        assertFalse(registered.get(), "the table may not exist yet");
        claims.mainProgressed(15);
        assertTrue(ahead.get(5, TimeUnit.SECONDS));
        assertTrue(registered.get());
        assertFalse(claims.claimForMain(20), "the main reader skips a block loaded ahead");
    }

    @Test
    void theMainReaderWaitsForAClaimedBlockToBeRegisteredSoLaterStatementsWaitForItsLoad() throws Exception {
        assertTrue(claims.claimAhead(20));
        claims.mainProgressed(20);
        CompletableFuture<Boolean> main = CompletableFuture.supplyAsync(() -> claims.claimForMain(20));
        Thread.sleep(300);
        assertFalse(main.isDone(), "claimed but not yet running: the main reader must wait");
        claims.awaitMainThenRegister(15, 20, () -> { });
        assertFalse(main.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theMainReaderLoadsABlockTheAheadLoaderClaimedButNeverStarted() throws Exception {
        assertTrue(claims.claimAhead(30));
        claims.aheadGone();
        assertTrue(claims.claimForMain(30));
    }
}
