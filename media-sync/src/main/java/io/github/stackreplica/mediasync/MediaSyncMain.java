package io.github.stackreplica.mediasync;

import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;

/** Entry point of media-sync: mirrors the media directory from the NFS replica onto the stack's volume. */
public final class MediaSyncMain {

    private MediaSyncMain() {
    }

    /** The step as the orchestrator runs it in-process: {@code new StepLauncher(env, out, err).launch(definition(), args)}. */
    public static StepDefinition<MediaSyncConfig> definition() {
        return new StepDefinition<>("media-sync", MediaSyncConfig.OPTIONS, MediaSyncConfig::parse,
                config -> new MediaSync(config).run());
    }

    public static void main(String[] args) {
        System.exit(StepLauncher.forProcess().launch(definition(), args));
    }
}
