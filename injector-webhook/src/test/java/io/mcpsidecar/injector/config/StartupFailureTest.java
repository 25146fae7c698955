package io.mcpsidecar.injector.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpsidecar.injector.support.TestCertificates;
import io.mcpsidecar.injector.support.TlsFiles;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration errors stop the webhook at start-up, saying what is wrong and what was expected.
 */
class StartupFailureTest {
  static Map<String, Object> properties(TlsFiles tls) {
    Map<String, Object> p = new HashMap<>();
    p.put("micronaut.server.ssl.port", -1);
    p.put("webhook.tls.key", tls.key().toString());
    p.put("webhook.tls.cert", tls.cert().toString());
    return p;
  }

  static TlsFiles tls(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("tls"));
    var tls = new TlsFiles(dir.resolve("tls"));
    tls.issue(TestCertificates.ca());
    return tls;
  }

  @Test
  void refusesToStartWithInvalidSettingsListingEachOne(@TempDir Path dir) throws Exception {
    var p = properties(tls(dir));
    p.put("webhook.native.sidecar", "sometimes");
    p.put("webhook.agent.listen.port", "99999");
    assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, p))
        .rootCause()
        .hasMessageContaining("WEBHOOK_NATIVE_SIDECAR: \"sometimes\" (expected: true or false)")
        .hasMessageContaining("WEBHOOK_AGENT_LISTEN_PORT: \"99999\"");
  }

  @Test
  void refusesToStartWithoutUsableTlsFiles(@TempDir Path dir) throws Exception {
    var p = properties(tls(dir));
    p.put("webhook.tls.key", dir.resolve("missing.key").toString());
    assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, p))
        .hasStackTraceContaining(
            "TLS material unusable: WEBHOOK_TLS_KEY=" + dir.resolve("missing.key"));
  }

  @Test
  void refusesToStartWithAnInvalidCatalog(@TempDir Path dir) throws Exception {
    var p = properties(tls(dir));
    Path catalog = dir.resolve("catalog.yaml");
    Files.writeString(catalog, "servers:\n  - repository: ghcr.io/acme/x\n    owner: team\n");
    p.put("webhook.catalog.file", catalog.toString());
    assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, p))
        .rootCause()
        .hasMessageContaining("servers[0].slo: missing")
        .hasMessageContaining("servers[0]: no sbom or provenance");
  }
}
