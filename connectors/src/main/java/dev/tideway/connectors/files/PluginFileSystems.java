package dev.tideway.connectors.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginConfig;

/**
 * Loads file-system plugins (such as flink-s3-fs-hadoop) for a Flink that runs inside this JVM: a
 * MiniCluster, the demo, tests. A real cluster does this itself from its {@code plugins/}
 * directory. Each plugin gets its own class loader, as on a cluster, so the unshaded Hadoop, Guava
 * and Jackson inside the S3 plugin cannot clash with the job's libraries.
 */
public final class PluginFileSystems {

    /**
     * @param pluginsRoot a directory with one sub-directory per plugin, holding its jars
     * @param config Flink configuration, including the file systems' settings (s3.endpoint, ...)
     */
    public static void initialize(Path pluginsRoot, Configuration config) {
        if (!Files.isDirectory(pluginsRoot)) {
            throw new IllegalArgumentException(
                    "No plugins directory at "
                            + pluginsRoot.toAbsolutePath()
                            + ": it should hold s3-fs-hadoop/flink-s3-fs-hadoop-*.jar (run the"
                            + " build once: mvn package -DskipTests)");
        }
        try {
            FileSystem.initialize(
                    config,
                    new DefaultPluginManager(
                            new DirectoryBasedPluginFinder(pluginsRoot).findPlugins(),
                            PluginConfig.fromConfiguration(config).getAlwaysParentFirstPatterns()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load plugins from " + pluginsRoot, e);
        }
    }

    private PluginFileSystems() {}
}
