package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The injector's Deployment, Service and webhook configurations agree with each other and with
 * docs/injection.md: settings reach the webhook under the documented variable names, the Service
 * reaches the container's port, the webhook configurations call that Service, and the pod meets the
 * restricted Pod Security Standard.
 */
class InjectorTemplateTest {

  private static final Pattern VARIABLE = Pattern.compile("`(_?[A-Z][A-Z0-9_]*)`");

  /** The variable names of the "Webhook settings" table of docs/injection.md. */
  static Set<String> documentedVariables() throws IOException {
    String doc = Files.readString(RepoFiles.root().resolve("docs/injection.md"));
    String section = doc.substring(doc.indexOf("## Webhook settings"));
    section = section.substring(0, section.indexOf("\n## ", 5));
    Set<String> names = new TreeSet<>();
    for (String line : section.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String firstCell = line.substring(1, line.indexOf('|', 1));
      Matcher m = VARIABLE.matcher(firstCell);
      while (m.find()) {
        String name = m.group(1);
        // "`WEBHOOK_AGENT_CPU_REQUEST`, `_CPU_LIMIT`, ..." abbreviates the common prefix
        names.add(name.startsWith("_") ? "WEBHOOK_AGENT" + name : name);
      }
    }
    return names;
  }

  @Test
  void passesEverySettingUnderItsDocumentedVariableName() throws IOException {
    RenderedChart chart = RenderedChart.render("everything.yaml", "catalog.yaml");
    Map<String, String> env = chart.injectorEnv();

    assertThat(env)
        .containsEntry("WEBHOOK_PORT", "8443")
        .containsEntry("WEBHOOK_TLS_CERT", "/etc/mcp-sidecar-injector/tls/tls.crt")
        .containsEntry("WEBHOOK_TLS_KEY", "/etc/mcp-sidecar-injector/tls/tls.key")
        .containsEntry("WEBHOOK_RELOAD_INTERVAL", "30s")
        .containsEntry("WEBHOOK_MAX_REQUEST_BYTES", "3145728")
        .containsEntry("WEBHOOK_CATALOG_FILE", "/etc/mcp-sidecar-injector/catalog/catalog.yaml")
        .containsEntry("WEBHOOK_AGENT_IMAGE", "ghcr.io/mcp-sidecar/agent:0.1.1")
        .containsEntry("WEBHOOK_AGENT_CONFIG_MAP", "agent-config")
        .containsEntry("WEBHOOK_AGENT_LISTEN_PORT", "9100")
        .containsEntry("WEBHOOK_AGENT_ADMIN_PORT", "9911")
        .containsEntry("WEBHOOK_AGENT_LOG_LEVEL", "DEBUG")
        .containsEntry("WEBHOOK_NATIVE_SIDECAR", "false")
        .containsEntry("WEBHOOK_AGENT_CPU_REQUEST", "200m")
        .containsEntry("WEBHOOK_AGENT_CPU_LIMIT", "1")
        .containsEntry("WEBHOOK_AGENT_MEMORY_REQUEST", "192Mi")
        .containsEntry("WEBHOOK_AGENT_MEMORY_LIMIT", "384Mi")
        .containsEntry(
            "WEBHOOK_EXCLUDED_NAMESPACES", "kube-system,kube-public,kube-node-lease,monitoring")
        .containsEntry("WEBHOOK_OTLP_ENDPOINT", "http://otel-collector.observability:4317")
        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75");
    Set<String> chartVariables = new TreeSet<>(env.keySet());
    chartVariables.remove("JAVA_TOOL_OPTIONS"); // webhook.extraEnv, not a webhook setting
    assertThat(documentedVariables()).containsExactlyInAnyOrderElementsOf(chartVariables);
  }

  @Test
  void defaultsMatchTheDocumentedDefaultsAndLeaveUnsetOnesOut() {
    Map<String, String> env = RenderedChart.render().injectorEnv();

    assertThat(env)
        .containsEntry(
            "WEBHOOK_AGENT_IMAGE", "ghcr.io/mcp-sidecar/agent:" + ChartReleaseTest.projectVersion())
        .containsEntry("WEBHOOK_AGENT_CONFIG_MAP", "mcp-sidecar-config")
        .containsEntry("WEBHOOK_AGENT_LISTEN_PORT", "9000")
        .containsEntry("WEBHOOK_AGENT_ADMIN_PORT", "9901")
        .containsEntry("WEBHOOK_NATIVE_SIDECAR", "true")
        .containsEntry("WEBHOOK_AGENT_MEMORY_LIMIT", "384Mi")
        .containsEntry("WEBHOOK_EXCLUDED_NAMESPACES", "kube-system,kube-public,kube-node-lease")
        .doesNotContainKeys(
            "WEBHOOK_CATALOG_FILE", "WEBHOOK_AGENT_CPU_LIMIT", "WEBHOOK_OTLP_ENDPOINT");
  }

  @Test
  void givesTheWebhookItsNamespaceThroughTheDownwardApi() {
    JsonNode podNamespace =
        find(RenderedChart.render().injectorContainer().path("env"), "POD_NAMESPACE");

    assertThat(podNamespace.at("/valueFrom/fieldRef/fieldPath").asText())
        .isEqualTo("metadata.namespace");
  }

  @Test
  void serviceReachesTheContainerPortTheWebhookListensOn() {
    RenderedChart chart = RenderedChart.render();
    JsonNode service = chart.one("Service");
    JsonNode deployment = chart.one("Deployment");
    JsonNode servicePort = service.at("/spec/ports/0");
    JsonNode containerPort =
        find(chart.injectorContainer().path("ports"), servicePort.path("targetPort").asText());

    assertThat(servicePort.path("port").asInt()).isEqualTo(443);
    assertThat(containerPort.path("containerPort").asInt())
        .isEqualTo(8443)
        .isEqualTo(Integer.parseInt(chart.injectorEnv().get("WEBHOOK_PORT")));
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    service
        .at("/spec/selector")
        .fields()
        .forEachRemaining(
            e -> assertThat(podLabels.path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));
    assertThat(deployment.at("/spec/selector/matchLabels")).isEqualTo(service.at("/spec/selector"));
  }

  @Test
  void probesUseHttpsOnTheWebhookPort() {
    JsonNode container = RenderedChart.render().injectorContainer();

    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      JsonNode get = container.path(probe).path("httpGet");
      assertThat(get.path("scheme").asText()).as(probe).isEqualTo("HTTPS");
      assertThat(
              find(container.path("ports"), get.path("port").asText())
                  .path("containerPort")
                  .asInt())
          .as(probe)
          .isEqualTo(8443);
    }
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
  }

  @Test
  void mountsTheTlsSecretWhereTheWebhookReadsIt() {
    RenderedChart chart = RenderedChart.render();
    JsonNode mount = find(chart.injectorContainer().path("volumeMounts"), "tls");
    JsonNode volume = find(chart.one("Deployment").at("/spec/template/spec/volumes"), "tls");

    assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/mcp-sidecar-injector/tls");
    assertThat(mount.has("subPath")).as("subPath mounts never see renewals").isFalse();
    assertThat(volume.at("/secret/secretName").asText())
        .isEqualTo(chart.one("Secret").at("/metadata/name").asText());
  }

  @Test
  void mutatingWebhookCallsTheServiceWithTheDocumentedPolicy() {
    RenderedChart chart = RenderedChart.render();
    JsonNode service = chart.one("Service");
    JsonNode configuration = chart.one("MutatingWebhookConfiguration");

    List<String> names = new ArrayList<>();
    for (JsonNode webhook : configuration.path("webhooks")) {
      names.add(webhook.path("name").asText());
      assertCallsService(webhook, service, "/mutate");
      assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Ignore");
      assertThat(webhook.path("sideEffects").asText()).isEqualTo("None");
      assertThat(webhook.path("timeoutSeconds").asInt()).isEqualTo(5);
      assertThat(webhook.path("reinvocationPolicy").asText()).isEqualTo("IfNeeded");
      assertThat(webhook.path("admissionReviewVersions").toString()).isEqualTo("[\"v1\"]");
      assertThat(webhook.at("/rules/0/operations").toString()).isEqualTo("[\"CREATE\"]");
      assertThat(webhook.at("/rules/0/resources").toString()).isEqualTo("[\"pods\"]");
      assertThat(excludedNamespaces(webhook))
          .contains("kube-system", "kube-node-lease", RenderedChart.NAMESPACE);
    }
    assertThat(names)
        .containsExactly("pods.inject.mcp-sidecar.io", "namespaces.inject.mcp-sidecar.io");
  }

  @Test
  void selectsPodsAndNamespacesByTheOptInLabelAsDocumented() {
    JsonNode webhooks = RenderedChart.render().one("MutatingWebhookConfiguration").path("webhooks");

    assertThat(webhooks.at("/0/objectSelector/matchLabels/mcp-sidecar.io~1inject").asText())
        .isEqualTo("true");
    assertThat(webhooks.at("/1/namespaceSelector/matchLabels/mcp-sidecar.io~1inject").asText())
        .isEqualTo("true");
    JsonNode podLabel = webhooks.at("/1/objectSelector/matchExpressions/0");
    assertThat(podLabel.path("key").asText()).isEqualTo("mcp-sidecar.io/inject");
    assertThat(podLabel.path("operator").asText()).isEqualTo("DoesNotExist");
  }

  @Test
  void failurePolicyTimeoutAndReinvocationComeFromValues() {
    JsonNode webhook =
        RenderedChart.render("everything.yaml")
            .one("MutatingWebhookConfiguration")
            .at("/webhooks/0");

    assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Fail");
    assertThat(webhook.path("timeoutSeconds").asInt()).isEqualTo(3);
    assertThat(webhook.path("reinvocationPolicy").asText()).isEqualTo("Never");
    assertThat(excludedNamespaces(webhook)).contains("monitoring", RenderedChart.NAMESPACE);
  }

  @Test
  void catalogOffMeansNoValidatingWebhookAndNoCatalog() {
    RenderedChart chart = RenderedChart.render();

    assertThat(chart.all("ValidatingWebhookConfiguration")).isEmpty();
    assertThat(chart.all("ConfigMap")).isEmpty();
  }

  @Test
  void catalogOnValidatesOnlyMcpServerPodsAgainstTheMountedCatalog() throws IOException {
    RenderedChart chart = RenderedChart.render("catalog.yaml");
    JsonNode service = chart.one("Service");
    JsonNode configuration = chart.one("ValidatingWebhookConfiguration");

    List<String> selected = new ArrayList<>();
    for (JsonNode webhook : configuration.path("webhooks")) {
      assertCallsService(webhook, service, "/validate");
      assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Fail");
      assertThat(webhook.path("sideEffects").asText()).isEqualTo("None");
      assertThat(webhook.at("/rules/0/operations").toString()).isEqualTo("[\"CREATE\",\"UPDATE\"]");
      // kubectl debug adds containers through the subresource: the catalog must see them too
      assertThat(webhook.at("/rules/0/resources").toString())
          .isEqualTo("[\"pods\",\"pods/ephemeralcontainers\"]");
      webhook.at("/objectSelector/matchLabels").fieldNames().forEachRemaining(selected::add);
    }
    assertThat(selected)
        .containsExactlyInAnyOrder(
            "mcp-sidecar.io/injected", "mcp-sidecar.io/inject", "mcp-sidecar.io/mcp-server");

    JsonNode catalog = chart.one("ConfigMap");
    JsonNode expected =
        PrometheusRules.YAML
            .readTree(RenderedChart.valuesFile("catalog.yaml").toFile())
            .at("/catalog/document");
    assertThat(PrometheusRules.YAML.readTree(catalog.at("/data/catalog.yaml").asText()))
        .isEqualTo(expected);
    JsonNode volume = find(chart.one("Deployment").at("/spec/template/spec/volumes"), "catalog");
    JsonNode mount = find(chart.injectorContainer().path("volumeMounts"), "catalog");
    assertThat(volume.at("/configMap/name").asText())
        .isEqualTo(catalog.at("/metadata/name").asText());
    assertThat(chart.injectorEnv().get("WEBHOOK_CATALOG_FILE"))
        .isEqualTo(mount.path("mountPath").asText() + "/catalog.yaml");
    assertThat(chart.injectorEnv()).containsEntry("WEBHOOK_CATALOG_REQUIRE_AGENT", "false");
  }

  @Test
  void catalogRequiresTheAgentWhenAskedTo() {
    RenderedChart chart =
        RenderedChart.renderWith(Map.of("catalog.enabled", "true", "catalog.requireAgent", "true"));

    assertThat(chart.injectorEnv()).containsEntry("WEBHOOK_CATALOG_REQUIRE_AGENT", "true");
  }

  @Test
  void podAndContainerMeetTheRestrictedPodSecurityStandard() {
    RenderedChart chart = RenderedChart.render();
    JsonNode pod = chart.one("Deployment").at("/spec/template/spec/securityContext");
    JsonNode container = chart.injectorContainer().path("securityContext");

    assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(container.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.path("runAsUser").asInt()).isPositive();
    assertThat(container.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(container.at("/capabilities/add").isMissingNode()).isTrue();
    assertThat(container.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    assertThat(container.path("privileged").asBoolean(false)).isFalse();
    JsonNode podSpec = chart.one("Deployment").at("/spec/template/spec");
    for (String hostField : List.of("hostNetwork", "hostPID", "hostIPC")) {
      assertThat(podSpec.path(hostField).asBoolean(false)).as(hostField).isFalse();
    }
    assertThat(chart.injectorContainer().at("/resources/requests/cpu").isMissingNode()).isFalse();
  }

  @Test
  void runsTwoSpreadReplicasGuardedByADisruptionBudget() {
    RenderedChart chart = RenderedChart.render();
    JsonNode deployment = chart.one("Deployment");
    JsonNode pdb = chart.one("PodDisruptionBudget");

    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
    assertThat(pdb.at("/spec/selector/matchLabels"))
        .isEqualTo(deployment.at("/spec/selector/matchLabels"));
    assertThat(
            deployment
                .at("/spec/template/spec/affinity/podAntiAffinity")
                .path("preferredDuringSchedulingIgnoredDuringExecution"))
        .isNotEmpty();
    assertThat(deployment.at("/spec/template/spec/topologySpreadConstraints")).isNotEmpty();
  }

  @Test
  void aSingleReplicaGetsNoDisruptionBudgetThatWouldBlockDrains() {
    RenderedChart chart = RenderedChart.renderWith(Map.of("webhook.replicas", "1"));

    assertThat(chart.one("Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(chart.all("PodDisruptionBudget")).isEmpty();
  }

  @Test
  void createsTheDefaultAgentConfigOnlyWhereAsked() throws IOException {
    assertThat(RenderedChart.render().all("ConfigMap")).isEmpty();

    RenderedChart chart = RenderedChart.render("everything.yaml");
    List<JsonNode> configs = chart.all("ConfigMap");
    assertThat(configs)
        .extracting(c -> c.at("/metadata/namespace").asText())
        .containsExactly("demo", "tools");
    for (JsonNode config : configs) {
      assertThat(config.at("/metadata/name").asText())
          .isEqualTo(chart.injectorEnv().get("WEBHOOK_AGENT_CONFIG_MAP"));
      JsonNode agentConfig = PrometheusRules.YAML.readTree(config.at("/data/config.yaml").asText());
      assertThat(agentConfig.at("/upstream/url").asText())
          .isEqualTo("http://127.0.0.1:${MCP_SIDECAR_UPSTREAM_PORT}/mcp");
    }
  }

  private static void assertCallsService(JsonNode webhook, JsonNode service, String path) {
    JsonNode target = webhook.at("/clientConfig/service");
    assertThat(target.path("name").asText()).isEqualTo(service.at("/metadata/name").asText());
    assertThat(target.path("namespace").asText())
        .isEqualTo(service.at("/metadata/namespace").asText())
        .isEqualTo(RenderedChart.NAMESPACE);
    assertThat(target.path("port").asInt()).isEqualTo(service.at("/spec/ports/0/port").asInt());
    assertThat(target.path("path").asText()).isEqualTo(path);
  }

  private static List<String> excludedNamespaces(JsonNode webhook) {
    List<String> namespaces = new ArrayList<>();
    for (JsonNode e : webhook.at("/namespaceSelector/matchExpressions")) {
      if (e.path("key").asText().equals("kubernetes.io/metadata.name")
          && e.path("operator").asText().equals("NotIn")) {
        e.path("values").forEach(v -> namespaces.add(v.asText()));
      }
    }
    return namespaces;
  }

  static JsonNode find(JsonNode namedList, String name) {
    for (JsonNode item : namedList) {
      if (item.path("name").asText().equals(name)) {
        return item;
      }
    }
    throw new AssertionError("no entry named " + name + " in " + namedList);
  }
}
