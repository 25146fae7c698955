package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void findsMetricsButNotFunctionsLabelsOrNumbers() {
    String expr =
        "histogram_quantile(0.95, sum by (le, tenant) (rate(mcp_server_operation_duration_seconds_bucket"
            + "{namespace=~\"$namespace\", outcome=~\"ok|error\"}[$__rate_interval]))) > 0.4"
            + " and on (job, instance) mcp_sidecar_config_generation / 1e9";

    assertThat(PromQl.metricNames(expr))
        .containsExactlyInAnyOrder(
            "mcp_server_operation_duration_seconds_bucket", "mcp_sidecar_config_generation");
  }

  @Test
  void findsRecordedSeriesWithColons() {
    assertThat(PromQl.metricNames("mcp_server:tool_call_errors:ratio_rate1h > (14.4 * 0.01)"))
        .containsExactly("mcp_server:tool_call_errors:ratio_rate1h");
  }

  @Test
  void ignoresStringsOfLabelReplace() {
    assertThat(PromQl.metricNames("label_replace(up, \"tenant\", \"other\", \"tenant\", \"\")"))
        .containsExactly("up");
  }

  @Test
  void readsTheMetricOfALabelValuesVariable() {
    assertThat(
            PromQl.variableQueryMetrics(
                "label_values(mcp_sidecar_config_generation{a=\"b\"}, pod)"))
        .containsExactly("mcp_sidecar_config_generation");
  }

  @Test
  void replacesGrafanaVariables() {
    assertThat(PromQl.withoutGrafanaVariables("rate(x{pod=~\"$pod\"}[$__rate_interval])"))
        .isEqualTo("rate(x{pod=~\".*\"}[5m])");
  }

  @Test
  void splitsMarkdownPromQlBlocksIntoQueries() {
    String md =
        "text\n```promql\n# a comment\nsum(a)\n/\nsum(b)\n\nc > 1\n```\n```sh\nnot_promql\n```\n";

    assertThat(PromQl.markdownQueries(md)).containsExactly("sum(a)\n/\nsum(b)", "c > 1");
  }

  @Test
  void namesRunbooksAfterAlertsInKebabCase() {
    assertThat(Runbooks.fileName("McpSidecarJvmHeapHigh"))
        .isEqualTo("mcp-sidecar-jvm-heap-high.md");
    assertThat(Runbooks.fileName("McpUpstreamDown")).isEqualTo("mcp-upstream-down.md");
  }
}
