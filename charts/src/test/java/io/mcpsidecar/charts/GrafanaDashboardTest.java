package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard the chart ships: well-formed, importable into any Grafana through its
 * {@code datasource} variable, laid out without overlaps, and querying only metrics that exist.
 */
class GrafanaDashboardTest {

  private static final String DATASOURCE = "${datasource}";
  private static final int GRID_COLUMNS = 24;

  private static JsonNode dashboard;
  private static List<JsonNode> panels;

  @BeforeAll
  static void load() throws IOException {
    dashboard = new ObjectMapper().readTree(RepoFiles.dashboard().toFile());
    panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
  }

  @Test
  void hasAUidATitleAndPanels() {
    assertThat(dashboard.path("uid").asText()).matches("[a-zA-Z0-9_-]{1,40}");
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
    assertThat(panels).isNotEmpty();
  }

  @Test
  void offersAPrometheusDatasourceVariable() {
    List<JsonNode> variables = new ArrayList<>();
    dashboard.path("templating").path("list").forEach(variables::add);

    assertThat(variables)
        .filteredOn(v -> v.path("name").asText().equals("datasource"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.path("type").asText()).isEqualTo("datasource");
              assertThat(v.path("query").asText()).isEqualTo("prometheus");
            });
  }

  @Test
  void everyQueryUsesTheDatasourceVariable() {
    for (JsonNode panel : panels) {
      if (isRow(panel)) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText())
          .as("datasource of panel %s", title(panel))
          .isEqualTo(DATASOURCE);
      assertThat(panel.path("targets")).as("queries of panel %s", title(panel)).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        if (target.has("datasource")) {
          assertThat(target.path("datasource").path("uid").asText())
              .as("datasource of a query of panel %s", title(panel))
              .isEqualTo(DATASOURCE);
        }
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        assertThat(variable.path("datasource").path("uid").asText())
            .as("datasource of variable %s", variable.path("name").asText())
            .isEqualTo(DATASOURCE);
      }
    }
    for (JsonNode annotation : dashboard.path("annotations").path("list")) {
      assertThat(annotation.path("datasource").path("uid").asText())
          .as("datasource of annotation %s", annotation.path("name").asText())
          .isEqualTo(DATASOURCE);
    }
  }

  @Test
  void panelIdsAreUnique() {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : panels) {
      assertThat(panel.path("id").isInt()).as("id of panel %s", title(panel)).isTrue();
      assertThat(ids.add(panel.path("id").asInt()))
          .as("id %s of panel %s is unique", panel.path("id"), title(panel))
          .isTrue();
    }
  }

  @Test
  void panelsFitTheGridWithoutOverlapping() {
    List<int[]> boxes = new ArrayList<>();
    for (JsonNode panel : panels) {
      JsonNode pos = panel.path("gridPos");
      int x = pos.path("x").asInt(-1);
      int y = pos.path("y").asInt(-1);
      int w = pos.path("w").asInt(0);
      int h = pos.path("h").asInt(0);
      assertThat(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= GRID_COLUMNS)
          .as("gridPos %s of panel %s", pos, title(panel))
          .isTrue();
      for (int[] other : boxes) {
        boolean overlaps =
            x < other[0] + other[2]
                && other[0] < x + w
                && y < other[1] + other[3]
                && other[1] < y + h;
        assertThat(overlaps).as("panel %s overlaps another panel", title(panel)).isFalse();
      }
      boxes.add(new int[] {x, y, w, h});
    }
  }

  @Test
  void queriesReadOnlyDocumentedMetricsOrRecordedSeries() {
    MetricCatalog catalog = MetricCatalog.load(RepoFiles.metricsDoc());
    Set<String> recorded = PrometheusRules.recordedNames(PrometheusRules.load(RepoFiles.rules()));
    for (Query query : queries()) {
      Set<String> names =
          query.variable()
              ? PromQl.variableQueryMetrics(query.expr())
              : PromQl.metricNames(query.expr());
      assertThat(names).as("metrics read by %s", query.where()).isNotEmpty();
      assertThat(names)
          .as("metrics read by %s (docs/metrics.md lists the names)", query.where())
          .allMatch(name -> catalog.allows(name) || recorded.contains(name));
    }
  }

  @Test
  void queriesAreValidPromQl(@TempDir Path dir) {
    List<String> exprs =
        queries().stream()
            .filter(q -> !q.variable())
            .map(q -> PromQl.withoutGrafanaVariables(q.expr()))
            .toList();
    Path file = dir.resolve("dashboard-queries.yaml");
    PrometheusRules.writeAsRecordingRules(file, "dashboard", exprs);

    Promtool.Run run = Promtool.run(dir, "check", "rules", "--lint=none", file.toString());

    assertThat(run.exitCode()).as(run.describe()).isZero();
  }

  @Test
  void coversGoldenSignalsSloBurnSaturationAndConfiguration() {
    String all = String.join("\n", queries().stream().map(Query::expr).toList());

    assertThat(all)
        .contains("by (tenant)", "by (gen_ai_tool_name)", "by (outcome)", "by (error_class)")
        .contains("histogram_quantile(0.95", "mcp_sidecar_rejections_total")
        .contains(
            "mcp_server:tool_call_errors:ratio_rate1h", "mcp_server:tool_calls_slow:ratio_rate1h")
        .contains("budget_remaining30d")
        .contains("mcp_sidecar_sse_streams", "mcp_sidecar_inflight_calls")
        .contains("mcp_sidecar:jvm_heap_used:ratio", "mcp_sidecar:process_cpu:ratio_rate5m")
        .contains("mcp_sidecar_config_generation", "mcp_sidecar_config_reloads_total");
  }

  /** A query of a panel, an annotation or a template variable, and where it was found. */
  private record Query(String where, String expr, boolean variable) {}

  private static List<Query> queries() {
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(new Query("panel " + title(panel), target.path("expr").asText(), false));
      }
    }
    for (JsonNode annotation : dashboard.path("annotations").path("list")) {
      if (annotation.has("expr")) {
        String where = "annotation " + annotation.path("name").asText();
        queries.add(new Query(where, annotation.path("expr").asText(), false));
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        String where = "variable " + variable.path("name").asText();
        queries.add(new Query(where, variable.path("query").path("query").asText(), true));
      }
    }
    return queries;
  }

  private static boolean isRow(JsonNode panel) {
    return panel.path("type").asText().equals("row");
  }

  private static String title(JsonNode panel) {
    return "'" + panel.path("title").asText() + "' (id " + panel.path("id") + ")";
  }
}
