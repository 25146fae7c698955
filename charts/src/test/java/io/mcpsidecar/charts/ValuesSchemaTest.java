package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json turns bad values into a clear message before anything is rendered. */
class ValuesSchemaTest {

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(
            "webhook.failurePolicy",
            "Sometimes",
            "webhook.failurePolicy must be one of the following: \"Ignore\", \"Fail\""),
        Arguments.of(
            "webhook.replicas", "-1", "webhook.replicas: Must be greater than or equal to 1"),
        Arguments.of(
            "webhook.timeoutSeconds",
            "60",
            "webhook.timeoutSeconds: Must be less than or equal to 30"),
        Arguments.of(
            "catalog.failurePolicy",
            "Open",
            "catalog.failurePolicy must be one of the following: \"Ignore\", \"Fail\""),
        Arguments.of("agent.logLevel", "VERBOSE", "agent.logLevel must be one of the following"),
        Arguments.of(
            "agent.adminPort", "90000", "agent.adminPort: Must be less than or equal to 65535"),
        Arguments.of(
            "monitoring.webhookMonitor.kind",
            "Probe",
            "monitoring.webhookMonitor.kind must be one of the following"),
        Arguments.of("webhook.replica", "3", "Additional property replica is not allowed"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badValues")
  void templateFailsWithTheSchemaMessage(String key, String value, String message) {
    assertThatThrownBy(() -> RenderedChart.renderWith(Map.of(key, value)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
  }

  @Test
  void installFailsBeforeTouchingTheCluster() {
    assertThatThrownBy(
            () ->
                new Helm(RenderedChart.chartDir())
                    .install()
                    .withName(RenderedChart.RELEASE)
                    .withNamespace(RenderedChart.NAMESPACE)
                    .clientOnly()
                    .dryRun()
                    .set("webhook.failurePolicy", "Sometimes")
                    .call())
        .hasMessageContaining("webhook.failurePolicy must be one of the following");
  }

  @Test
  void catalogEntriesNeedAnOwnerAndAnSlo() {
    assertThatThrownBy(
            () ->
                RenderedChart.renderWith(
                    Map.of(
                        "catalog.enabled", "true",
                        "catalog.document.servers[0].repository", "ghcr.io/acme/x")))
        .hasMessageContaining("owner is required")
        .hasMessageContaining("slo is required");
  }
}
