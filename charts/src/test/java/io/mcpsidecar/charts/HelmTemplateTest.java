package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code helm template} in each supported configuration: every rendered object is valid against the
 * strict schema of its kind, names are unique per kind and namespace, and the chart grants no
 * Kubernetes API permissions (the webhook uses none).
 */
class HelmTemplateTest {

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of("defaults (Helm-generated certificate)", List.of()),
        Arguments.of("cert-manager certificate", List.of("cert-manager.yaml")),
        Arguments.of("monitoring all on", List.of("monitoring.yaml")),
        Arguments.of("catalog on", List.of("catalog.yaml")),
        Arguments.of(
            "every optional feature on",
            List.of("everything.yaml", "catalog.yaml", "monitoring.yaml", "cert-manager.yaml")),
        Arguments.of(
            "every optional feature on, generated certificate",
            List.of("everything.yaml", "catalog.yaml", "monitoring.yaml")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyRenderedObjectMatchesTheStrictSchemaOfItsKind(String name, List<String> values) {
    RenderedChart chart = RenderedChart.render(values.toArray(String[]::new));

    assertThat(chart.objects()).isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (JsonNode object : chart.objects()) {
      for (String violation : KubernetesSchemas.violations(object)) {
        problems.add(
            object.path("kind").asText()
                + "/"
                + object.at("/metadata/name").asText()
                + ": "
                + violation);
      }
    }
    assertThat(problems).as(chart.manifest()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void namesAreUniqueAndEveryObjectCarriesTheStandardLabels(String name, List<String> values) {
    RenderedChart chart = RenderedChart.render(values.toArray(String[]::new));

    Set<String> seen = new HashSet<>();
    for (JsonNode object : chart.objects()) {
      JsonNode metadata = object.path("metadata");
      String key =
          object.path("kind").asText()
              + " "
              + metadata.path("namespace").asText()
              + "/"
              + metadata.path("name").asText();
      assertThat(seen.add(key)).as("duplicate " + key).isTrue();
      assertThat(metadata.path("name").asText()).as(key).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
      JsonNode labels = metadata.path("labels");
      assertThat(labels.path("app.kubernetes.io/name").asText()).as(key).isEqualTo("mcp-sidecar");
      assertThat(labels.path("app.kubernetes.io/instance").asText())
          .as(key)
          .isEqualTo("mcp-sidecar");
      assertThat(labels.path("app.kubernetes.io/managed-by").asText()).as(key).isEqualTo("Helm");
      assertThat(labels.path("app.kubernetes.io/version").asText())
          .as(key)
          .isEqualTo(ChartReleaseTest.projectVersion());
      assertThat(labels.path("helm.sh/chart").asText()).as(key).isEqualTo("mcp-sidecar-0.1.0");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void grantsNoKubernetesApiPermissions(String name, List<String> values) {
    RenderedChart chart = RenderedChart.render(values.toArray(String[]::new));

    assertThat(chart.kinds()).noneMatch(k -> k.matches("(Cluster)?Role(Binding)?/.*"));
    JsonNode podSpec = chart.one("Deployment").at("/spec/template/spec");
    assertThat(podSpec.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(chart.one("ServiceAccount").path("automountServiceAccountToken").asBoolean(true))
        .isFalse();
    assertThat(podSpec.path("serviceAccountName").asText())
        .isEqualTo(chart.one("ServiceAccount").at("/metadata/name").asText());
  }
}
