package io.mcpsidecar.injector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {
  @Test
  void defaultsMatchTheAgentContract() {
    WebhookSettings s = WebhookSettings.parse(Map.of(), "1.0");
    assertThat(s.port()).isEqualTo(8443);
    assertThat(s.reloadInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.catalogFile()).isEmpty();
    assertThat(s.catalogRequireAgent()).isFalse();
    assertThat(s.injection().agentImage()).isEqualTo("ghcr.io/mcp-sidecar/agent:0.1.0");
    assertThat(s.injection().configMap()).isEqualTo("mcp-sidecar-config");
    assertThat(s.injection().listenPort()).isEqualTo(9000);
    assertThat(s.injection().adminPort()).isEqualTo(9901);
    assertThat(s.injection().nativeSidecar()).isTrue();
    assertThat(s.injection().excludedNamespaces()).contains("kube-system");
  }

  @Test
  void excludesTheWebhooksOwnNamespace() {
    var s = WebhookSettings.parse(Map.of("POD_NAMESPACE", "mcp-sidecar-system"), "1.0");
    assertThat(s.injection().excludedNamespaces()).contains("mcp-sidecar-system", "kube-system");
  }

  @Test
  void listsEveryInvalidVariableAtOnce() {
    assertThatThrownBy(
            () ->
                WebhookSettings.parse(
                    Map.of(
                        "WEBHOOK_PORT", "http",
                        "WEBHOOK_RELOAD_INTERVAL", "soon",
                        "WEBHOOK_NATIVE_SIDECAR", "maybe",
                        "WEBHOOK_CATALOG_REQUIRE_AGENT", "yes",
                        "WEBHOOK_AGENT_MEMORY_LIMIT", "lots"),
                    "1.0"))
        .isInstanceOfSatisfying(
            WebhookSettings.InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "WEBHOOK_PORT: \"http\" (expected: a whole number 1-65535)",
                        "WEBHOOK_RELOAD_INTERVAL: \"soon\" (expected: a positive duration such as 500ms, 10s, 5m or 1h)",
                        "WEBHOOK_CATALOG_REQUIRE_AGENT: \"yes\" (expected: true or false)",
                        "WEBHOOK_NATIVE_SIDECAR: \"maybe\" (expected: true or false)",
                        "WEBHOOK_AGENT_MEMORY_LIMIT: \"lots\" (expected: a Kubernetes quantity such as 100m or 256Mi)"));
  }

  @Test
  void readsWhetherTheCatalogRequiresTheAgent() {
    var s = WebhookSettings.parse(Map.of("WEBHOOK_CATALOG_REQUIRE_AGENT", "true"), "1.0");
    assertThat(s.catalogRequireAgent()).isTrue();
  }

  @Test
  void mapsVariablesToMicronautPropertyNames() {
    assertThat(WebhookSettings.propertyName("WEBHOOK_TLS_CERT")).isEqualTo("webhook.tls.cert");
  }
}
