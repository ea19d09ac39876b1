package dev.tideway.connectors.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job's configuration: {@code config.yaml} from the Flink configuration directory (so that local
 * runs use the same settings as the cluster), overridden by {@code --key value} arguments. Flink's
 * own keys pass through; an unknown {@code tideway.*} key is a mistake and fails fast.
 */
public final class JobConfig {
    static final String TIDEWAY_PREFIX = "tideway.";

    /** Names a tuning profile, flink-conf/profiles/NAME.yaml, applied over config.yaml. */
    public static final String PROFILE_ENV = "TIDEWAY_PROFILE";

    private JobConfig() {}

    /**
     * @param args {@code --key value} or {@code --key=value} pairs
     * @param known every {@code tideway.*} option the job accepts
     */
    public static Configuration load(String[] args, Collection<ConfigOption<?>> known) {
        Configuration config = new Configuration();
        configDirectory()
                .ifPresent(dir -> config.addAll(GlobalConfiguration.loadConfiguration(dir)));
        config.addAll(Configuration.fromMap(parseArgs(args)));
        checkKnown(config, known);
        return config;
    }

    /**
     * The execution environment for a job's main(). Run locally (java -cp ...), it gets the whole
     * configuration, config.yaml included. Submitted to a cluster (flink run), the cluster's own
     * configuration already applies and the CLI's flags (-p, -s) must win, so it gets only what the
     * command line set.
     */
    public static StreamExecutionEnvironment environment(String[] args, Configuration config) {
        if (StreamExecutionEnvironment.getExecutionEnvironment()
                instanceof LocalStreamEnvironment) {
            return StreamExecutionEnvironment.getExecutionEnvironment(config);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(
                Configuration.fromMap(parseArgs(args)));
    }

    /** FLINK_CONF_DIR if set, else ./flink-conf when it holds a config.yaml. */
    static java.util.Optional<String> configDirectory() {
        String fromEnv = System.getenv("FLINK_CONF_DIR");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return java.util.Optional.of(fromEnv);
        }
        Path local = Path.of("flink-conf");
        return Files.isRegularFile(local.resolve("config.yaml"))
                ? java.util.Optional.of(local.toString())
                : java.util.Optional.empty();
    }

    /** A profile: flat "key: value" lines over config.yaml; # starts a comment. */
    public static Configuration loadProfile(Path confDir, String name) {
        Path file = confDir.resolve("profiles").resolve(name + ".yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "No tuning profile '"
                            + name
                            + "' ("
                            + PROFILE_ENV
                            + "): expected "
                            + file.toAbsolutePath());
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int colon = trimmed.indexOf(": ");
                if (colon < 0) {
                    throw new IllegalArgumentException(
                            "Profile " + file + ": expected 'key: value', got '" + line + "'");
                }
                values.put(trimmed.substring(0, colon), trimmed.substring(colon + 2).strip());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Configuration.fromMap(values);
    }

    /** The {@code --key value} and {@code --key=value} pairs of a command line. */
    public static Map<String, String> parseArgs(String[] args) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException(
                        "Unexpected argument '"
                                + arg
                                + "': options are --key value or --key=value");
            }
            String key = arg.substring(2);
            int equals = key.indexOf('=');
            if (equals > 0) {
                values.put(key.substring(0, equals), key.substring(equals + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("Option --" + key + " needs a value");
            }
        }
        return values;
    }

    static void checkKnown(Configuration config, Collection<ConfigOption<?>> known) {
        Set<String> knownKeys = known.stream().map(ConfigOption::key).collect(Collectors.toSet());
        List<String> unknown = new ArrayList<>();
        for (String key : config.keySet()) {
            if (key.startsWith(TIDEWAY_PREFIX) && !knownKeys.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "Unknown option(s) "
                            + unknown
                            + ". This job accepts: "
                            + new TreeSet<>(knownKeys));
        }
    }
}
