package io.github.stackreplica.common.cli;

import java.util.Map;

/**
 * What the launcher needs to run one step: its name, its options (for {@code --help}), a pure config parser and the
 * body that does the work.
 *
 * @param <C> the step's config record
 */
public record StepDefinition<C>(String name, StepOptions options, Parser<C> parser, Body<C> body) {

    /** Turns arguments and environment into the step's config record; throws {@link UsageException} on bad input. */
    @FunctionalInterface
    public interface Parser<C> {
        C parse(String[] args, Map<String, String> env);
    }

    /** Runs the step; throws {@link StepException} for expected failures with their exit code. */
    @FunctionalInterface
    public interface Body<C> {
        StepResult run(C config) throws Exception;
    }
}
