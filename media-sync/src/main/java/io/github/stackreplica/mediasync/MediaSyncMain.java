package io.github.stackreplica.mediasync;

import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.common.cli.UsageException;

/** Entry point of media-sync: Mirrors the media directory from the NFS replica onto the stack's volume: hashed, incremental, parallel. Not implemented yet: it prints its usage and exits 2. */
public final class MediaSyncMain {

    static final StepOptions OPTIONS = new StepOptions("media-sync", "Mirrors the media directory from the NFS replica onto the stack's volume: hashed, incremental, parallel. (not implemented yet)");

    private MediaSyncMain() {
    }

    public static void main(String[] args) {
        System.exit(StepLauncher.forProcess().launch(new StepDefinition<>("media-sync", OPTIONS,
                (arguments, env) -> {
                    throw new UsageException("media-sync is not implemented yet");
                },
                config -> null), args));
    }
}
