package io.github.stackreplica.dbrestore;

import java.util.HashMap;
import java.util.Map;

/**
 * Who loads which COPY block when two readers go through the same dump: the main reader and an {@link AheadLoader}.
 * Whoever reaches a block first claims it; the other skips it. The ahead loader may start a block only once the main
 * reader has run every statement before it (the table must exist), and the main reader, when it skips a block the
 * other claimed, waits until that load is registered as running, so that later statements on the table wait for it.
 */
final class CopyClaims {

    private enum State { MAIN, AHEAD_CLAIMED, AHEAD_RUNNING }

    private final Map<Long, State> claims = new HashMap<>();
    private long mainProgress;
    private boolean aheadGone;

    /** The main reader reached the COPY at {@code line}: true when it is the main reader's to load. */
    synchronized boolean claimForMain(long line) {
        State state = claims.putIfAbsent(line, State.MAIN);
        if (state == null || state == State.MAIN) {
            return true;
        }
        while (claims.get(line) == State.AHEAD_CLAIMED && !aheadGone) {
            waitForChange();
        }
        if (claims.get(line) == State.AHEAD_CLAIMED) {
            claims.put(line, State.MAIN);
            return true;
        }
        return false;
    }

    /** The ahead loader reached the COPY at {@code line}: true when it claimed it. */
    synchronized boolean claimAhead(long line) {
        return claims.putIfAbsent(line, State.AHEAD_CLAIMED) == null;
    }

    /**
     * Waits until the main reader has handled everything up to {@code line}, then runs {@code register} and marks the
     * block at {@code copyLine} running. False when the ahead loader should stop (it was told to).
     */
    synchronized boolean awaitMainThenRegister(long line, long copyLine, Runnable register) {
        while (mainProgress < line && !aheadGone) {
            waitForChange();
        }
        if (aheadGone) {
            return false;
        }
        register.run();
        claims.put(copyLine, State.AHEAD_RUNNING);
        notifyAll();
        return true;
    }

    /** The main reader has run (or handed to a job) everything up to {@code line}. */
    synchronized void mainProgressed(long line) {
        if (line > mainProgress) {
            mainProgress = line;
            notifyAll();
        }
    }

    /** The ahead loader stopped; the main reader loads whatever it had claimed but not started. */
    synchronized void aheadGone() {
        aheadGone = true;
        notifyAll();
    }

    private void waitForChange() {
        try {
            wait(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            aheadGone = true;
        }
    }
}
