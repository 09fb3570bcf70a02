package io.github.stackreplica.common.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The options of one step, declared once: each {@code --long-flag} also reads environment variable
 * {@code LONG_FLAG} (or a conventional name such as {@code PGHOST}); the flag wins, then the variable,
 * then the default. Parsing is pure: arguments and environment come in as values.
 */
public final class StepOptions {

    /** What an option holds, and the placeholder shown for its value in the help. */
    public enum Kind {
        STRING("VALUE"), FLAG("[=BOOL]"), INTEGER("N"), DURATION("DURATION"), LIST("VALUE");

        private final String placeholder;

        Kind(String placeholder) {
            this.placeholder = placeholder;
        }
    }

    /** One declared option. {@code defaultValue} is null when the option has none. */
    public record Spec(String name, String env, Kind kind, String defaultValue, String description, String valueName) {
    }

    /** A secret the step reads from the environment only. */
    public record SecretSpec(String env, String description) {
    }

    private final String step;
    private final String usage;
    private final List<Spec> specs = new ArrayList<>();
    private final List<SecretSpec> secrets = new ArrayList<>();

    /**
     * @param step  the program name, e.g. {@code db-restore}
     * @param usage one or two sentences shown under the usage line of {@code --help}
     */
    public StepOptions(String step, String usage) {
        this.step = step;
        this.usage = usage;
    }

    public String step() {
        return step;
    }

    public List<Spec> specs() {
        return List.copyOf(specs);
    }

    public List<SecretSpec> secrets() {
        return List.copyOf(secrets);
    }

    public StepOptions string(String name, String defaultValue, String description) {
        return add(name, Kind.STRING, defaultValue, description);
    }

    public StepOptions flag(String name, boolean defaultValue, String description) {
        return add(name, Kind.FLAG, String.valueOf(defaultValue), description);
    }

    public StepOptions integer(String name, Integer defaultValue, String description) {
        return add(name, Kind.INTEGER, defaultValue == null ? null : defaultValue.toString(), description);
    }

    public StepOptions duration(String name, String defaultValue, String description) {
        return add(name, Kind.DURATION, defaultValue, description);
    }

    /** A repeatable option; its environment variable holds the values separated by commas. */
    public StepOptions list(String name, String defaultValue, String description) {
        return add(name, Kind.LIST, defaultValue, description);
    }

    /** Gives the option declared last a conventional environment variable instead of the mechanical one. */
    public StepOptions env(String envName) {
        Spec last = specs.remove(specs.size() - 1);
        specs.add(new Spec(last.name(), envName, last.kind(), last.defaultValue(), last.description(), last.valueName()));
        return this;
    }

    /** Names the value of the option declared last in the help, e.g. {@code DIR} or {@code NAME}. */
    public StepOptions valueName(String valueName) {
        Spec last = specs.remove(specs.size() - 1);
        specs.add(new Spec(last.name(), last.env(), last.kind(), last.defaultValue(), last.description(), valueName));
        return this;
    }

    /** Declares a secret read only from environment variable {@code env}, listed in the help. */
    public StepOptions secret(String env, String description) {
        secrets.add(new SecretSpec(env, description));
        return this;
    }

    /** The environment variable a long flag reads by default: {@code --backup-root} reads {@code BACKUP_ROOT}. */
    public static String envName(String longFlag) {
        return longFlag.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * Resolves every option from the arguments, then the environment, then the defaults, and checks each value's type.
     *
     * @throws UsageException naming the option and the value it got
     */
    public OptionValues parse(String[] args, Map<String, String> env) {
        CommandLine line = parseLine(args);
        Map<String, OptionValues.Value> values = new LinkedHashMap<>();
        for (Spec spec : specs) {
            resolve(spec, line, env).ifPresent(value -> values.put(spec.name(), value));
        }
        return new OptionValues(values, env);
    }

    private CommandLine parseLine(String[] args) {
        Options cli = new Options();
        for (Spec spec : specs) {
            Option.Builder builder = Option.builder().longOpt(spec.name());
            if (spec.kind() == Kind.FLAG) {
                builder.numberOfArgs(1).optionalArg(true);
            } else {
                builder.hasArg();
            }
            cli.addOption(builder.get());
        }
        cli.addOption(Option.builder().longOpt("help").get());
        try {
            CommandLine line = DefaultParser.builder().setAllowPartialMatching(false).get().parse(cli, args);
            if (!line.getArgList().isEmpty()) {
                throw new UsageException("Unexpected argument '" + line.getArgList().get(0)
                        + "': every value belongs to an option such as --namespace NAME");
            }
            return line;
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Optional<OptionValues.Value> resolve(Spec spec, CommandLine line, Map<String, String> env) {
        List<String> raw;
        String source;
        if (line.hasOption(spec.name())) {
            String[] given = line.getOptionValues(spec.name());
            raw = given == null ? List.of("true") : Arrays.asList(given);
            source = "--" + spec.name();
        } else if (env.get(spec.env()) != null && !env.get(spec.env()).isBlank()) {
            String value = env.get(spec.env()).trim();
            raw = spec.kind() == Kind.LIST ? splitList(value) : List.of(value);
            source = "environment variable " + spec.env();
        } else if (spec.defaultValue() != null) {
            raw = spec.kind() == Kind.LIST ? splitList(spec.defaultValue()) : List.of(spec.defaultValue());
            source = "the default of --" + spec.name();
        } else {
            return Optional.empty();
        }
        return Optional.of(new OptionValues.Value(spec, raw, source, convert(spec, raw, source)));
    }

    private static List<String> splitList(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }

    private static Object convert(Spec spec, List<String> raw, String source) {
        String last = raw.get(raw.size() - 1);
        try {
            return switch (spec.kind()) {
                case STRING -> last;
                case LIST -> List.copyOf(raw);
                case FLAG -> Booleans.parse(last);
                case INTEGER -> parseInteger(last);
                case DURATION -> Durations.parse(last);
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException("Invalid value '" + last + "' for --" + spec.name() + " (from " + source + "): "
                    + e.getMessage());
        }
    }

    private static int parseInteger(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    /** The text {@code --help} prints: usage, then each option with its environment variable and default. */
    public String help() {
        StringBuilder help = new StringBuilder();
        help.append("Usage: ").append(step).append(" [options]\n").append(usage).append("\n\n");
        help.append("Options (each also read from the environment variable shown; flag wins, then variable, then default):\n");
        for (Spec spec : specs) {
            String flag = "--" + spec.name() + (spec.kind() == Kind.FLAG ? spec.kind().placeholder
                    : " " + (spec.valueName() != null ? spec.valueName() : spec.kind().placeholder));
            help.append(String.format("  %-34s env %-26s default %s%n", flag, spec.env(),
                    spec.defaultValue() == null || spec.defaultValue().isEmpty() ? "(none)" : spec.defaultValue()));
            help.append("      ").append(spec.description());
            if (spec.kind() == Kind.LIST) {
                help.append(" Repeatable; the variable takes a comma-separated list.");
            }
            help.append('\n');
        }
        help.append(String.format("  %-34s print this help and exit%n", "--help"));
        if (!secrets.isEmpty()) {
            help.append("\nSecrets (environment only, never flags):\n");
            for (SecretSpec secret : secrets) {
                help.append(String.format("  %-34s %s%n", secret.env(), secret.description()));
            }
        }
        help.append("\nAlso read: LOG_LEVEL (INFO), LOG_FORMAT (text|json), RUN_ID, TERMINATION_LOG (/dev/termination-log).\n");
        return help.toString();
    }

    /**
     * The options as a Markdown table (flag, environment variable, default, meaning), then the secrets: the README's
     * configuration section for this program is exactly this text, which a test checks.
     */
    public String markdownTable() {
        StringBuilder table = new StringBuilder("| flag | env var | default | meaning |\n|---|---|---|---|\n");
        for (Spec spec : specs) {
            String flag = "--" + spec.name() + (spec.kind() == Kind.FLAG ? "[=BOOL]"
                    : " " + (spec.valueName() != null ? spec.valueName() : spec.kind().placeholder));
            String meaning = spec.description() + (spec.kind() == Kind.LIST ? " Repeatable; the variable takes a "
                    + "comma-separated list." : "");
            table.append("| `").append(flag.replace("|", "\\|")).append("` | `").append(spec.env()).append("` | ")
                    .append(spec.defaultValue() == null || spec.defaultValue().isEmpty() ? "" : "`" + spec.defaultValue()
                            + "`")
                    .append(" | ").append(meaning.replace("|", "\\|")).append(" |\n");
        }
        for (SecretSpec secret : secrets) {
            table.append("| (environment only) | `").append(secret.env()).append("` | | ")
                    .append(secret.description().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }

    private StepOptions add(String name, Kind kind, String defaultValue, String description) {
        if (specs.stream().anyMatch(spec -> spec.name().equals(name))) {
            throw new IllegalArgumentException("Option --" + name + " is declared twice");
        }
        specs.add(new Spec(name, envName(name), kind, defaultValue, description, null));
        return this;
    }
}
