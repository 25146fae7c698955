package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the chart installs by default matches what the build produces: the images the build tags
 * with the project version, from one configurable registry, optionally pinned by digest; the
 * Kubernetes version native sidecars need; and install notes that render.
 */
class ChartReleaseTest {

  private static final String DIGEST =
      "sha256:2222222222222222222222222222222222222222222222222222222222222222";

  /** The Maven project version (root pom), which the build tags both images with. */
  static String projectVersion() {
    try {
      String pom = Files.readString(RepoFiles.root().resolve("pom.xml"));
      String project = pom.substring(pom.indexOf("<artifactId>mcp-sidecar-parent</artifactId>"));
      Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(project);
      assertThat(m.find()).as("version of the root pom").isTrue();
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode chartYaml() throws IOException {
    return PrometheusRules.YAML.readTree(RenderedChart.chartDir().resolve("Chart.yaml").toFile());
  }

  @Test
  void appVersionIsTheProjectVersionTheImagesAreTaggedWith() throws IOException {
    assertThat(chartYaml().path("appVersion").asText()).isEqualTo(projectVersion());
  }

  @Test
  void defaultImagesAreTheOnesTheBuildProduces() {
    RenderedChart chart = RenderedChart.render();

    assertThat(chart.injectorContainer().path("image").asText())
        .isEqualTo("ghcr.io/mcp-sidecar/injector:" + projectVersion());
    assertThat(chart.injectorEnv())
        .containsEntry("WEBHOOK_AGENT_IMAGE", "ghcr.io/mcp-sidecar/agent:" + projectVersion());
  }

  @Test
  void oneRegistryValueMovesBothImages() {
    RenderedChart chart =
        RenderedChart.renderWith(
            Map.of("global.imageRegistry", "registry.example.com:5000/mirror"));

    assertThat(chart.injectorContainer().path("image").asText())
        .isEqualTo("registry.example.com:5000/mirror/mcp-sidecar/injector:" + projectVersion());
    assertThat(chart.injectorEnv())
        .containsEntry(
            "WEBHOOK_AGENT_IMAGE",
            "registry.example.com:5000/mirror/mcp-sidecar/agent:" + projectVersion());
  }

  @Test
  void anEmptyRegistryTakesEachRepositoryAsAFullReference() {
    RenderedChart chart =
        RenderedChart.renderWith(
            Map.of(
                "global.imageRegistry", "",
                "agent.image.repository", "quay.io/acme/agent",
                "webhook.image.repository", "quay.io/acme/injector"));

    assertThat(chart.injectorContainer().path("image").asText())
        .isEqualTo("quay.io/acme/injector:" + projectVersion());
    assertThat(chart.injectorEnv())
        .containsEntry("WEBHOOK_AGENT_IMAGE", "quay.io/acme/agent:" + projectVersion());
  }

  @Test
  void digestsPinTheInjectorAndEveryInjectedAgent() {
    RenderedChart chart =
        RenderedChart.renderWith(
            Map.of(
                "agent.image.digest", DIGEST,
                "agent.image.tag", "0.9.9",
                "webhook.image.digest", DIGEST));

    assertThat(chart.injectorContainer().path("image").asText())
        .isEqualTo("ghcr.io/mcp-sidecar/injector@" + DIGEST);
    // the injector puts this reference into every pod it mutates
    assertThat(chart.injectorEnv())
        .containsEntry("WEBHOOK_AGENT_IMAGE", "ghcr.io/mcp-sidecar/agent@" + DIGEST);
  }

  @Test
  void requiresTheKubernetesVersionOfNativeSidecars() throws IOException {
    assertThat(chartYaml().path("kubeVersion").asText()).isEqualTo(">=1.29.0-0");
    // native sidecars are the default mode, which needs that version
    assertThat(RenderedChart.render().injectorEnv())
        .containsEntry("WEBHOOK_NATIVE_SIDECAR", "true");
  }

  @Test
  void helmRefusesTheChartOnAnOlderKubernetes() {
    FakeKubeApi.instance();
    // helm-java's Helm renders as for Kubernetes v1.20.0, older than the chart allows
    assertThatThrownBy(() -> new Helm(RenderedChart.chartDir()).template().withName("old").call())
        .hasMessageContaining("chart requires kubeVersion: >=1.29.0-0")
        .hasMessageContaining("v1.20.0");
  }

  @Test
  void installNotesRenderWithTheReleaseNamespaceImageAndMonitoring() {
    String notes =
        installNotes(
            Map.of(
                "agent.image.digest", DIGEST,
                "monitoring.prometheusRule.enabled", "true",
                "networkPolicy.enabled", "true",
                "networkPolicy.namespaces[0]", "demo"));

    assertThat(notes)
        .contains("MCP Sidecar " + projectVersion() + " is installed in namespace notes-test")
        .contains("ghcr.io/mcp-sidecar/agent@" + DIGEST)
        .contains("kubectl -n notes-test rollout status deploy/notes-mcp-sidecar-injector")
        .contains("PrometheusRule")
        .contains("NetworkPolicy")
        .doesNotContain("<no value>");
  }

  @Test
  void installNotesRenderWithDefaults() {
    String notes = installNotes(Map.of());

    assertThat(notes)
        .contains("ghcr.io/mcp-sidecar/agent:" + projectVersion())
        .contains("docs/operations/upgrade.md")
        .doesNotContain("<no value>")
        .doesNotContain("NetworkPolicy");
  }

  /** {@code helm install --dry-run} client-side: the rendered NOTES.txt is in its output. */
  private static String installNotes(Map<String, String> sets) {
    FakeKubeApi.instance();
    var install =
        new Helm(RenderedChart.renderableChartDir())
            .install()
            .withName("notes")
            .withNamespace("notes-test")
            .clientOnly()
            .dryRun();
    for (Map.Entry<String, String> set : sets.entrySet()) {
      install = install.set(set.getKey(), set.getValue());
    }
    Release release = install.call();
    String output = release.getOutput();
    assertThat(output).as("install output").contains("NOTES:");
    return output.substring(output.indexOf("NOTES:"));
  }

  @Test
  void noNetworkPolicyUnlessAsked() {
    assertThat(RenderedChart.render().all("NetworkPolicy")).isEmpty();
    assertThat(
            RenderedChart.renderWith(Map.of("networkPolicy.enabled", "true")).all("NetworkPolicy"))
        .as("enabled without namespaces")
        .isEmpty();
  }

  @Test
  void networkPolicyKeepsTheAgentAdminPortForTheMonitoringNamespaceOnly() {
    RenderedChart chart = RenderedChart.render("everything.yaml");
    List<JsonNode> policies = chart.all("NetworkPolicy");

    assertThat(policies)
        .extracting(p -> p.at("/metadata/namespace").asText())
        .containsExactly("demo", "tools");
    JsonNode policy = policies.get(0);
    assertThat(policy.at("/spec/podSelector/matchLabels/mcp-sidecar.io~1injected").asText())
        .isEqualTo("true");
    assertThat(policy.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\"]");

    JsonNode admin = policy.at("/spec/ingress/0");
    assertThat(admin.at("/ports").toString())
        .isEqualTo("[{\"protocol\":\"TCP\",\"port\":9911}]"); // everything.yaml's agent.adminPort
    assertThat(
            admin.at("/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
        .isEqualTo("observability");
    assertThat(admin.at("/from/0/podSelector/matchLabels/app.kubernetes.io~1name").asText())
        .isEqualTo("prometheus");

    // every other port stays open to every source: the MCP port and the server's own ports
    JsonNode others = policy.at("/spec/ingress/1");
    assertThat(others.has("from")).isFalse();
    List<String> ranges = new ArrayList<>();
    others
        .path("ports")
        .forEach(
            p ->
                ranges.add(
                    p.path("protocol").asText()
                        + " "
                        + p.path("port").asInt()
                        + "-"
                        + p.path("endPort").asInt()));
    assertThat(ranges)
        .containsExactly("TCP 1-9910", "TCP 9912-65535", "UDP 1-9910", "UDP 9912-65535");
  }

  @Test
  void networkPolicyDefaultsToTheMonitoringNamespaceAndEveryPodInIt() {
    JsonNode policy =
        RenderedChart.renderWith(
                Map.of("networkPolicy.enabled", "true", "networkPolicy.namespaces[0]", "shop"))
            .one("NetworkPolicy");

    JsonNode from = policy.at("/spec/ingress/0/from/0");
    assertThat(from.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
        .isEqualTo("monitoring");
    assertThat(from.has("podSelector")).isFalse();
    assertThat(policy.at("/spec/ingress/0/ports/0/port").asInt()).isEqualTo(9901);
  }

  @Test
  void theSchemaRefusesARegistryWithATagAndARunbookBaseThatIsNoUrl() {
    assertThatThrownBy(
            () -> RenderedChart.renderWith(Map.of("global.imageRegistry", "ghcr.io/x:latest")))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("global.imageRegistry");
    assertThatThrownBy(
            () -> RenderedChart.renderWith(Map.of("monitoring.runbookBaseUrl", "docs/runbooks")))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("monitoring.runbookBaseUrl");
    assertThatThrownBy(
            () -> RenderedChart.renderWith(Map.of("networkPolicy.namespaces[0]", "Not_A_Name")))
        .hasMessageContaining("networkPolicy.namespaces");
  }
}
