package dev.tideway.connectors.files;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideway.connectors.testing.S3Server;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each way the lake can be misconfigured gets a message that names the setting to fix. */
class LakePreflightITCase {
    private static final Path PLUGINS = Path.of("target", "plugins");

    @RegisterExtension static final S3Server S3 = new S3Server();

    @AfterEach
    void backToTheWorkingSettings() {
        PluginFileSystems.initialize(PLUGINS, S3.flinkConfig());
    }

    @Test
    void aWritableBucketPasses() {
        PluginFileSystems.initialize(PLUGINS, S3.flinkConfig());
        assertThatCode(() -> LakePreflight.check("s3://" + S3Server.BUCKET + "/x", "lake.path"))
                .doesNotThrowAnyException();
    }

    @Test
    void aMissingBucketNamesThePathOption() {
        PluginFileSystems.initialize(PLUGINS, S3.flinkConfig());
        assertThatThrownBy(() -> LakePreflight.check("s3://no-such-bucket/x", "lake.path"))
                .hasMessageContaining("the bucket does not exist")
                .hasMessageContaining("lake.path");
    }

    @Test
    void wrongCredentialsNameTheCredentialSettings() {
        Configuration wrong = S3.flinkConfig();
        wrong.setString("s3.secret-key", "not-the-secret");
        PluginFileSystems.initialize(PLUGINS, wrong);
        assertThatThrownBy(() -> LakePreflight.check("s3://" + S3Server.BUCKET + "/x", "lake.path"))
                .hasMessageContaining("rejected the credentials")
                .hasMessageContaining("s3.secret-key")
                .hasMessageNotContaining("not-the-secret");
    }

    @Test
    void anUnreachableEndpointNamesTheEndpointSetting() throws Exception {
        Configuration nowhere = S3.flinkConfig();
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere.setString("s3.endpoint", "http://127.0.0.1:" + socket.getLocalPort());
        }
        PluginFileSystems.initialize(PLUGINS, nowhere);
        assertThatThrownBy(() -> LakePreflight.check("s3://" + S3Server.BUCKET + "/x", "lake.path"))
                .hasMessageContaining("s3.endpoint");
    }

    @Test
    void aSchemeWithoutPluginSaysWhichPluginIsMissing() {
        PluginFileSystems.initialize(PLUGINS, S3.flinkConfig());
        assertThatThrownBy(() -> LakePreflight.check("s3x://bucket/x", "lake.path"))
                .hasMessageContaining("no file system for 's3x://'");
    }
}
