package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code helm lint --strict}: warnings fail too. */
class HelmLintTest {

  @Test
  void lintsCleanWithDefaultValues() {
    LintResult result = new Helm(RenderedChart.chartDir()).lint().strict().call();

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  /**
   * helm-java's lint takes no values file, so the chart is copied and its values.yaml replaced by
   * the defaults merged with every optional feature's values.
   */
  @Test
  void lintsCleanWithEveryOptionalFeatureOn(@TempDir Path tmp) throws IOException {
    Path chart = tmp.resolve("mcp-sidecar");
    copy(RenderedChart.chartDir(), chart);
    JsonNode values = PrometheusRules.YAML.readTree(chart.resolve("values.yaml").toFile());
    for (String file :
        List.of("everything.yaml", "catalog.yaml", "monitoring.yaml", "cert-manager.yaml")) {
      merge(
          (ObjectNode) values,
          PrometheusRules.YAML.readTree(RenderedChart.valuesFile(file).toFile()));
    }
    PrometheusRules.YAML.writeValue(chart.resolve("values.yaml").toFile(), values);

    LintResult result = new Helm(chart).lint().strict().call();

    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(values.at("/catalog/enabled").asBoolean()).isTrue();
    assertThat(values.at("/monitoring/agentPodMonitor/enabled").asBoolean()).isTrue();
  }

  static void merge(ObjectNode target, JsonNode overlay) {
    overlay
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode existing = target.get(e.getKey());
              if (existing instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
              } else {
                target.set(e.getKey(), e.getValue());
              }
            });
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
