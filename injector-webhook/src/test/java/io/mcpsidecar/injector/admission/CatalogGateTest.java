package io.mcpsidecar.injector.admission;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.fge.jsonpatch.JsonPatch;
import io.mcpsidecar.injector.support.RunningWebhook;
import io.mcpsidecar.injector.support.TestCertificates;
import io.mcpsidecar.injector.support.TestJson;
import io.mcpsidecar.injector.support.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog gate over real HTTPS with real AdmissionReview v1 payloads: the containers that
 * {@code kubectl debug} adds through the {@code pods/ephemeralcontainers} subresource, and a
 * catalog that requires the agent in every MCP server pod ({@code WEBHOOK_CATALOG_REQUIRE_AGENT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogGateTest {
  RunningWebhook webhook;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    var ca = TestCertificates.ca();
    Files.createDirectories(dir.resolve("tls"));
    var tls = new TlsFiles(dir.resolve("tls"));
    tls.issue(ca);
    Path catalog = dir.resolve("catalog.yaml");
    Files.writeString(
        catalog,
        """
        trustedRepositories: [docker.io/nicolaka/netshoot]
        servers:
          - repository: ghcr.io/acme/weather-mcp
            owner: team-weather
            slo: 99.9% of tools/call under 1 s
            sbom: https://sbom.acme.example/weather-mcp.cdx.json
        """);
    webhook =
        new RunningWebhook(
            tls,
            ca,
            Map.of(
                "webhook.catalog.file",
                catalog.toString(),
                "webhook.catalog.require.agent",
                "true"));
  }

  @AfterAll
  void stop() {
    if (webhook != null) {
      webhook.close();
    }
  }

  static JsonNode mcpServer(String name, String... ephemeral) {
    ObjectNode pod =
        (ObjectNode)
            TestJson.parse(
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                    + name
                    + "\",\"labels\":{\"mcp-sidecar.io/mcp-server\":\"true\"}},\"spec\":{"
                    + "\"containers\":[{\"name\":\"server\","
                    + "\"image\":\"ghcr.io/acme/weather-mcp:1.4.2\"}]}}");
    var containers = ((ObjectNode) pod.path("spec")).putArray("ephemeralContainers");
    for (int i = 0; i + 1 < ephemeral.length; i += 2) {
      containers
          .addObject()
          .put("name", ephemeral[i])
          .put("image", ephemeral[i + 1])
          .put("targetContainerName", "server");
    }
    return pod;
  }

  /** What {@code kubectl debug -it POD --image=IMAGE} sends: an UPDATE of the subresource. */
  static byte[] debugReview(String uid, JsonNode before, JsonNode after) {
    ObjectNode review = TestJson.review(uid, "UPDATE", "weather", after);
    ObjectNode request = (ObjectNode) review.path("request");
    request.put("subResource", "ephemeralcontainers");
    request.set("oldObject", before);
    return review.toString().getBytes(UTF_8);
  }

  static byte[] review(String uid, String operation, JsonNode pod) {
    return TestJson.review(uid, operation, "weather", pod).toString().getBytes(UTF_8);
  }

  JsonNode validate(byte[] review) throws Exception {
    var response = webhook.post("/validate", review);
    assertThat(response.statusCode()).isEqualTo(200);
    return TestJson.parse(response.body());
  }

  static JsonNode goldenPod(String name) throws IOException {
    return TestJson.parse(
            Files.readAllBytes(Path.of("src/test/resources/golden", name + ".input.json")))
        .path("pod");
  }

  /** The pod as the mutating webhook leaves it, which is what /validate sees after it. */
  JsonNode mutated(JsonNode pod) throws Exception {
    JsonNode review =
        TestJson.parse(
            webhook.post("/mutate", review("m-" + pod.hashCode(), "CREATE", pod)).body());
    JsonNode patch = TestJson.patchOf(review);
    return patch == null ? pod : JsonPatch.fromJson(patch).apply(pod);
  }

  @Test
  void deniesADebugContainerWhoseImageIsNotInTheCatalog() throws Exception {
    JsonNode before = mcpServer("weather-0");
    JsonNode after = mcpServer("weather-0", "debugger-x7k2p", "busybox:1.36");

    JsonNode answer = validate(debugReview("d-1", before, after));

    assertThat(answer.at("/response/uid").asText()).isEqualTo("d-1");
    assertThat(answer.at("/response/allowed").asBoolean()).isFalse();
    assertThat(answer.at("/response/status/code").asInt()).isEqualTo(403);
    assertThat(answer.at("/response/status/message").asText())
        .contains("ephemeral container \"debugger-x7k2p\" image \"busybox:1.36\"")
        .contains("repository docker.io/library/busybox is not in the approved MCP server catalog")
        // the pod's own containers were admitted when it was created: only the new one is checked
        .doesNotContain("container \"server\"");
    assertThat(answer.at("/response/auditAnnotations/catalog-decision").asText())
        .isEqualTo("denied");
    assertThat(webhook.get("/metrics").body())
        .contains("outcome=\"denied\",reason=\"not-in-catalog\",webhook=\"validate\"");
  }

  @Test
  void admitsADebugContainerFromATrustedRepositoryWithoutCheckingThoseAlreadyAdded()
      throws Exception {
    // added while the catalog still allowed it: ephemeral containers can never be removed
    JsonNode before = mcpServer("weather-1", "debugger-old", "busybox:1.36");
    JsonNode after =
        mcpServer(
            "weather-1", "debugger-old", "busybox:1.36", "debugger-new", "nicolaka/netshoot:v0.13");

    JsonNode answer = validate(debugReview("d-2", before, after));

    assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
    assertThat(answer.at("/response/auditAnnotations/catalog-images").asText())
        .isEqualTo("debugger-new=nicolaka/netshoot:v0.13 (trusted)");
  }

  @Test
  void checksEveryDebugContainerWhenTheReviewCarriesNoOldObject() throws Exception {
    ObjectNode review =
        (ObjectNode)
            TestJson.parse(
                debugReview(
                    "d-3",
                    mcpServer("weather-2"),
                    mcpServer("weather-2", "debugger-old", "busybox:1.36")));
    ((ObjectNode) review.path("request")).putNull("oldObject");

    JsonNode answer = validate(review.toString().getBytes(UTF_8));

    assertThat(answer.at("/response/allowed").asBoolean()).isFalse();
  }

  @Test
  void letsDebugContainersIntoPodsThatAreNotMcpServers() throws Exception {
    JsonNode before = TestJson.parse("{\"metadata\":{\"name\":\"web\"},\"spec\":{}}");
    ObjectNode after = before.deepCopy();
    ((ObjectNode) after.path("spec"))
        .putArray("ephemeralContainers")
        .addObject()
        .put("name", "debugger")
        .put("image", "busybox");

    JsonNode answer = validate(debugReview("d-4", before, after));

    assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
    assertThat(webhook.get("/metrics").body())
        .contains("outcome=\"allowed\",reason=\"not-mcp-server\",webhook=\"validate\"");
  }

  @Test
  void deniesAnMcpServerPodCreatedWithoutTheAgentSayingWhy() throws Exception {
    JsonNode answer = validate(review("a-1", "CREATE", mcpServer("bare")));

    assertThat(answer.at("/response/allowed").asBoolean()).isFalse();
    assertThat(answer.at("/response/status/code").asInt()).isEqualTo(403);
    assertThat(answer.at("/response/status/message").asText())
        .startsWith("MCP server not approved by the catalog: ")
        .contains("the catalog requires the MCP Sidecar agent in every MCP server pod")
        .contains("no container \"mcp-sidecar\"")
        .contains("label the pod or its namespace mcp-sidecar.io/inject: \"true\"");
    assertThat(webhook.get("/metrics").body())
        .contains("outcome=\"denied\",reason=\"agent-missing\",webhook=\"validate\"");
  }

  @Test
  void namesTheSkipReasonWhenTheInjectorLeftThePodWithoutTheAgent() throws Exception {
    JsonNode skipped = mutated(goldenPod("host-network"));
    assertThat(skipped.at("/metadata/annotations/mcp-sidecar.io~1skip-reason").asText())
        .isEqualTo("host-network");

    JsonNode answer = validate(review("a-2", "CREATE", skipped));

    assertThat(answer.at("/response/allowed").asBoolean()).isFalse();
    assertThat(answer.at("/response/status/message").asText())
        .contains("the injector skipped it (annotation mcp-sidecar.io/skip-reason: host-network");
  }

  @Test
  void admitsAnMcpServerPodThatTheInjectorPatched() throws Exception {
    JsonNode injected = mutated(goldenPod("deployment-pod"));
    assertThat(injected.at("/spec/initContainers/0/name").asText()).isEqualTo("mcp-sidecar");

    JsonNode answer = validate(review("a-3", "CREATE", injected));

    assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
    assertThat(answer.at("/response/auditAnnotations/catalog-images").asText())
        .contains("mcp-sidecar=ghcr.io/mcp-sidecar/agent:0.1.0 (trusted)");
  }

  @Test
  void doesNotTakeTheInjectedLabelOrAContainerNamedLikeTheAgentForTheAgent() throws Exception {
    ObjectNode pod = (ObjectNode) mcpServer("impostor");
    ((ObjectNode) pod.at("/metadata/labels")).put("mcp-sidecar.io/injected", "true");
    ((com.fasterxml.jackson.databind.node.ArrayNode) pod.at("/spec/containers"))
        .addObject()
        .put("name", "mcp-sidecar")
        .put("image", "ghcr.io/acme/weather-mcp:1.4.2");

    JsonNode answer = validate(review("a-4", "CREATE", pod));

    assertThat(answer.at("/response/allowed").asBoolean()).isFalse();
    assertThat(answer.at("/response/status/message").asText())
        .contains(
            "container \"mcp-sidecar\" runs image \"ghcr.io/acme/weather-mcp:1.4.2\", which is"
                + " neither the agent's repository (ghcr.io/mcp-sidecar/agent)");
  }

  @Test
  void requiresTheAgentOnlyWhenThePodIsCreated() throws Exception {
    // a pod created before the option was turned on keeps its labels and finalizers editable
    JsonNode answer = validate(review("a-5", "UPDATE", mcpServer("older")));

    assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
  }
}
