package io.github.stackreplica.common.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The resolved, type-checked values of a step's options, as {@link StepOptions#parse} found them. */
public final class OptionValues {

    /** One resolved option: its spec, the raw text(s), where they came from and the converted value. */
    record Value(StepOptions.Spec spec, List<String> raw, String source, Object converted) {
    }

    private final Map<String, Value> values;
    private final Map<String, String> env;

    OptionValues(Map<String, Value> values, Map<String, String> env) {
        this.values = Map.copyOf(values);
        this.env = Map.copyOf(env);
    }

    /** True when the option has a value from a flag, the environment or its default. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** True when the option was given by a flag or its environment variable, not by its default. */
    public boolean isExplicit(String name) {
        Value value = values.get(name);
        return value != null && !value.source().startsWith("the default");
    }

    /** The option's text, or null when it has neither value nor default. */
    public String string(String name) {
        Value value = values.get(name);
        return value == null ? null : value.raw().get(value.raw().size() - 1);
    }

    /**
     * The option's text.
     *
     * @throws UsageException when it is missing, naming the flag and the variable that would give it
     */
    public String required(String name) {
        String value = string(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("Missing --" + name + " (or environment variable " + StepOptions.envName(name)
                    + ")");
        }
        return value;
    }

    public boolean flag(String name) {
        return (Boolean) converted(name);
    }

    public int integer(String name) {
        return (Integer) converted(name);
    }

    /** The option as a duration, or null when it has no value (an option that is off by default). */
    public Duration duration(String name) {
        return has(name) ? (Duration) converted(name) : null;
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        return has(name) ? (List<String>) converted(name) : List.of();
    }

    /** The secret in environment variable {@code envName}; never from a flag. */
    public Secret secret(String envName) {
        return Secret.fromEnv(env, envName);
    }

    /**
     * Converts the option's text with {@code converter}; an {@link IllegalArgumentException} from it becomes a usage
     * error naming the option, the value and where the value came from. Returns null when the option has no value.
     */
    public <T> T convert(String name, Function<String, T> converter) {
        Value value = values.get(name);
        if (value == null) {
            return null;
        }
        String text = value.raw().get(value.raw().size() - 1);
        try {
            return converter.apply(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("Invalid value '" + text + "' for --" + name + " (from " + value.source() + "): "
                    + e.getMessage());
        }
    }

    /** Raises a usage error about option {@code name}'s value, naming where it came from. */
    public UsageException invalid(String name, String reason) {
        Value value = values.get(name);
        String text = value == null ? "" : String.join(",", value.raw());
        String source = value == null ? "" : " (from " + value.source() + ")";
        return new UsageException("Invalid value '" + text + "' for --" + name + source + ": " + reason);
    }

    private Object converted(String name) {
        Value value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("Option --" + name + " is not declared or has no default");
        }
        return value.converted();
    }
}
