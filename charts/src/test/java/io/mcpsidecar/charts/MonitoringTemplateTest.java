package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitoring objects install exactly the files the other tests check: the promtool-tested
 * rules, the dashboard, and scrape configs that give the labels those rules rely on.
 */
class MonitoringTemplateTest {

  private static RenderedChart chart;

  @BeforeAll
  static void render() {
    chart = RenderedChart.render("monitoring.yaml");
  }

  @Test
  void prometheusRuleHoldsTheGroupsOfTheTestedRuleFile() throws IOException {
    JsonNode rule = chart.one("PrometheusRule");
    JsonNode file = PrometheusRules.YAML.readTree(RepoFiles.rules().toFile());

    assertThat(file.path("groups")).isNotEmpty();
    assertThat(rule.at("/spec/groups")).isEqualTo(file.path("groups"));
    assertThat(rule.at("/metadata/namespace").asText()).isEqualTo("monitoring");
    assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
  }

  @Test
  void dashboardConfigMapHoldsTheDashboardByteForByte() throws IOException {
    JsonNode configMap = chart.one("ConfigMap");
    String dashboard = Files.readString(RepoFiles.dashboard(), StandardCharsets.UTF_8);

    assertThat(configMap.at("/data/mcp-sidecar-dashboard.json").asText()).isEqualTo(dashboard);
    assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    assertThat(configMap.at("/metadata/annotations/grafana_folder").asText()).isEqualTo("MCP");
  }

  @Test
  void dashboardDiscoveryLabelIsConfigurable() {
    RenderedChart custom =
        RenderedChart.render(
            List.of("monitoring.yaml"),
            java.util.Map.of("monitoring.grafanaDashboard.labels.grafana_dashboard", "mcp"));

    assertThat(custom.one("ConfigMap").at("/metadata/labels/grafana_dashboard").asText())
        .isEqualTo("mcp");
  }

  @Test
  void agentPodMonitorScrapesInjectedPodsOnTheAdminPort() {
    JsonNode monitor = chart.named("PodMonitor", "mcp-sidecar-agents");
    JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");

    assertThat(monitor.at("/spec/namespaceSelector/any").asBoolean()).isTrue();
    assertThat(monitor.at("/spec/selector/matchLabels/mcp-sidecar.io~1injected").asText())
        .isEqualTo("true");
    // the port name the injector gives the agent's admin port (9901 unless overridden per pod)
    assertThat(endpoint.path("port").asText()).isEqualTo("mcp-sidecar-adm");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
  }

  @Test
  void agentPodMonitorSetsTheLabelsTheRulesRelyOn() {
    JsonNode relabelings =
        chart
            .named("PodMonitor", "mcp-sidecar-agents")
            .at("/spec/podMetricsEndpoints/0/relabelings");

    assertThat(sourceOf(relabelings, "namespace")).containsExactly("[__meta_kubernetes_namespace]");
    assertThat(sourceOf(relabelings, "pod")).containsExactly("[__meta_kubernetes_pod_name]");
    // later rules win: the workload's name, then app, then app.kubernetes.io/name
    List<String> server = sourceOf(relabelings, "mcp_server");
    assertThat(server).hasSizeGreaterThanOrEqualTo(3);
    assertThat(server.get(server.size() - 1))
        .isEqualTo("[__meta_kubernetes_pod_label_app_kubernetes_io_name]");
    assertThat(server.get(server.size() - 2)).isEqualTo("[__meta_kubernetes_pod_label_app]");
  }

  @Test
  void webhookMonitorScrapesTheWebhookOverVerifiedHttps() {
    JsonNode monitor = chart.one("ServiceMonitor");
    JsonNode endpoint = monitor.at("/spec/endpoints/0");
    JsonNode service = chart.one("Service");

    assertThat(endpoint.path("port").asText()).isEqualTo(service.at("/spec/ports/0/name").asText());
    assertThat(endpoint.path("scheme").asText()).isEqualTo("https");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(endpoint.at("/tlsConfig/serverName").asText())
        .isEqualTo("mcp-sidecar-injector.mcp-sidecar-system.svc");
    assertThat(endpoint.at("/tlsConfig/ca/secret/name").asText())
        .isEqualTo(chart.one("Secret").at("/metadata/name").asText());
    assertThat(endpoint.at("/tlsConfig/ca/secret/key").asText()).isEqualTo("ca.crt");
    monitor
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            e ->
                assertThat(service.at("/metadata/labels").path(e.getKey()).asText())
                    .isEqualTo(e.getValue().asText()));
  }

  @Test
  void runbookLinksFollowTheConfiguredBaseUrl() throws IOException {
    RenderedChart custom =
        RenderedChart.render(
            List.of("monitoring.yaml"),
            java.util.Map.of("monitoring.runbookBaseUrl", "https://wiki.example.com/mcp/runbooks"));
    List<String> links = new ArrayList<>();
    for (JsonNode group : custom.one("PrometheusRule").at("/spec/groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          links.add(rule.at("/annotations/runbook_url").asText());
        }
      }
    }

    assertThat(links).isNotEmpty();
    for (String link : links) {
      String file = link.substring(link.lastIndexOf('/') + 1);
      assertThat(link).isEqualTo("https://wiki.example.com/mcp/runbooks/" + file);
      assertThat(RepoFiles.runbooks().resolve(file)).isRegularFile();
    }
  }

  @Test
  void injectorAlertsComeOnlyWithTheMonitorThatScrapesTheInjector() {
    RenderedChart withoutMonitor =
        RenderedChart.render(
            List.of("monitoring.yaml"),
            java.util.Map.of("monitoring.webhookMonitor.enabled", "false"));

    assertThat(groupNames(chart)).contains("mcp-sidecar-injector", "mcp-sidecar-health");
    assertThat(groupNames(withoutMonitor))
        .contains("mcp-sidecar-health")
        .doesNotContain("mcp-sidecar-injector");
  }

  @Test
  void webhookMonitorNamesTheJobTheInjectorAlertsSelect() throws IOException {
    JsonNode relabeling = chart.one("ServiceMonitor").at("/spec/endpoints/0/relabelings/0");
    String rules = Files.readString(RepoFiles.rules());

    assertThat(relabeling.path("targetLabel").asText()).isEqualTo("job");
    assertThat(relabeling.path("replacement").asText()).isEqualTo("mcp-sidecar-injector");
    assertThat(rules).contains("job=\"mcp-sidecar-injector\"");
    JsonNode podMonitor =
        RenderedChart.render(
                List.of("monitoring.yaml"),
                java.util.Map.of("monitoring.webhookMonitor.kind", "PodMonitor"))
            .named("PodMonitor", "mcp-sidecar-injector");
    assertThat(podMonitor.at("/spec/podMetricsEndpoints/0/relabelings/0/replacement").asText())
        .isEqualTo("mcp-sidecar-injector");
  }

  private static List<String> groupNames(RenderedChart rendered) {
    List<String> names = new ArrayList<>();
    rendered
        .one("PrometheusRule")
        .at("/spec/groups")
        .forEach(g -> names.add(g.path("name").asText()));
    return names;
  }

  @Test
  void monitoringIsOffByDefault() {
    RenderedChart defaults = RenderedChart.render();

    for (String kind : List.of("PodMonitor", "ServiceMonitor", "PrometheusRule", "ConfigMap")) {
      assertThat(defaults.all(kind)).as(kind).isEmpty();
    }
  }

  private static List<String> sourceOf(JsonNode relabelings, String targetLabel) {
    List<String> sources = new ArrayList<>();
    for (JsonNode r : relabelings) {
      if (r.path("targetLabel").asText().equals(targetLabel)) {
        sources.add(r.path("sourceLabels").toString().replace("\"", ""));
      }
    }
    return sources;
  }
}
