package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.charts.ChartReadmeGenerator.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code charts/mcp-sidecar/README.md} is generated from the comments of values.yaml and must not
 * go stale. To regenerate, run this test with {@code -Dchart.readme.regenerate=true} (the command
 * is {@link ChartReadmeGenerator#REGENERATE}).
 */
class ChartReadmeTest {

  @Test
  void committedReadmeIsWhatValuesYamlGenerates() throws IOException {
    String generated = ChartReadmeGenerator.render();
    if (Boolean.getBoolean("chart.readme.regenerate")) {
      Files.writeString(ChartReadmeGenerator.readme(), generated);
    }

    assertThat(ChartReadmeGenerator.readme()).exists();
    assertThat(Files.readString(ChartReadmeGenerator.readme()))
        .as(
            "%s is stale; regenerate it with `%s` and commit the result",
            ChartReadmeGenerator.readme(), ChartReadmeGenerator.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void listsEveryDocumentedValueWithItsDefault() throws IOException {
    List<Row> rows = ChartReadmeGenerator.rows(Files.readString(ChartReadmeGenerator.valuesFile()));

    assertThat(rows)
        .extracting(Row::key)
        .contains(
            "global.imageRegistry",
            "webhook.image.repository",
            "agent.image.digest",
            "agent.resources.memoryLimit",
            "networkPolicy.enabled",
            "networkPolicy.monitoringNamespaceSelector",
            "monitoring.runbookBaseUrl",
            "monitoring.grafanaDashboard.labels")
        .doesNotHaveDuplicates();
    assertThat(rows)
        .filteredOn(r -> r.key().equals("agent.resources.memoryLimit"))
        .singleElement()
        .satisfies(r -> assertThat(r.defaultValue()).isEqualTo("`\"384Mi\"`"));
    assertThat(rows)
        .filteredOn(r -> r.key().equals("webhook.excludedNamespaces"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.defaultValue())
                  .isEqualTo("`[\"kube-system\",\"kube-public\",\"kube-node-lease\"]`");
              assertThat(r.description()).startsWith("Namespaces never injected:");
            });
  }

  @Test
  void readsMultiLineCommentsAndSkipsBlockScalars() throws IOException {
    String values =
        """
        # A section comment, not documentation.
        top:
          # -- First line
          # and its continuation.
          one: 1
          text: |
            # inside a block scalar: not a comment
            inner: no
          # -- After the block.
          two: [a, b]
        """;

    assertThat(ChartReadmeGenerator.rows(values))
        .containsExactly(
            new Row("top.one", "`1`", "First line and its continuation."),
            new Row("top.two", "`[\"a\",\"b\"]`", "After the block."));
  }
}
