package io.mcpsidecar.injector.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.fge.jsonpatch.JsonPatch;
import io.mcpsidecar.injector.admission.ReviewResponse;
import io.mcpsidecar.injector.support.TestJson;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodInjectorTest {
  final PodInjector injector = new PodInjector(InjectionSettings.defaults("9.9.9"));

  static JsonNode pod(String metadata, String spec) {
    return TestJson.parse(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
            + metadata
            + ",\"spec\":"
            + spec
            + "}");
  }

  static final String ONE_MCP_PORT =
      "{\"containers\":[{\"name\":\"server\",\"image\":\"s\",\"ports\":[{\"name\":\"mcp\",\"containerPort\":8080}]}]}";

  static JsonNode applied(JsonNode pod, InjectionResult result) throws Exception {
    return JsonPatch.fromJson(TestJson.parse(ReviewResponse.patchBytes(result.operations())))
        .apply(pod);
  }

  static JsonNode agent(JsonNode pod) {
    for (String field : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : pod.path("spec").path(field)) {
        if (c.path("name").asText().equals(PodKeys.AGENT_CONTAINER)) {
          return c;
        }
      }
    }
    throw new AssertionError("no agent container");
  }

  static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e.path("value").asText();
      }
    }
    return null;
  }

  @Test
  void injectsANativeSidecarThatTakesOverTheNamedPort() throws Exception {
    JsonNode pod = pod("{\"name\":\"p\"}", ONE_MCP_PORT);
    InjectionResult result = injector.inject(pod, "ns");
    assertThat(result).isInstanceOf(InjectionResult.Injected.class);
    JsonNode patched = applied(pod, result);
    JsonNode agent = agent(patched);
    assertThat(agent.path("restartPolicy").asText()).isEqualTo("Always");
    assertThat(agent.path("ports").get(0).path("name").asText()).isEqualTo("mcp");
    assertThat(agent.path("ports").get(0).path("containerPort").asInt()).isEqualTo(9000);
    assertThat(patched.at("/spec/containers/0/ports/0").has("name")).isFalse();
    assertThat(patched.at("/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(env(agent, "MCP_SIDECAR_UPSTREAM_PORT")).isEqualTo("8080");
    assertThat(agent.path("command").toString())
        .isEqualTo(
            "[\"java\",\"-jar\",\"/app/mcp-sidecar-agent.jar\",\"--config\",\"/etc/mcp-sidecar/config.yaml\"]");
  }

  @Test
  void meetsTheRestrictedPodSecurityStandardOnItsOwn() throws Exception {
    JsonNode pod = pod("{\"name\":\"p\"}", ONE_MCP_PORT);
    JsonNode sc = agent(applied(pod, injector.inject(pod, "ns"))).path("securityContext");
    assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(sc.path("runAsUser").asInt()).isPositive();
    assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sc.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(sc.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
  }

  @Test
  void probesUseTheAdminPortAndOnlyReadinessDependsOnTheServer() throws Exception {
    JsonNode pod = pod("{\"name\":\"p\"}", ONE_MCP_PORT);
    JsonNode agent = agent(applied(pod, injector.inject(pod, "ns")));
    assertThat(agent.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(agent.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(agent.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(agent.at("/livenessProbe/httpGet/port").asInt()).isEqualTo(9901);
  }

  @Test
  void escapesSlashAndTildeInLabelAndAnnotationKeys() {
    JsonNode pod =
        pod(
            "{\"name\":\"p\",\"labels\":{\"a\":\"b\"},\"annotations\":{\"c\":\"d\"}}",
            ONE_MCP_PORT);
    var paths = injector.inject(pod, "ns").operations().stream().map(PatchOperation::path).toList();
    assertThat(paths)
        .contains("/metadata/labels/mcp-sidecar.io~1injected")
        .contains("/metadata/annotations/mcp-sidecar.io~1injected-version");
    assertThat(JsonPointer.of("metadata", "annotations", "a~b/c"))
        .isEqualTo("/metadata/annotations/a~0b~1c");
  }

  @Test
  void createsMissingLabelsAnnotationsInitContainersAndVolumes() {
    JsonNode pod = pod("{\"name\":\"p\"}", ONE_MCP_PORT);
    var paths = injector.inject(pod, "ns").operations().stream().map(PatchOperation::path).toList();
    assertThat(paths)
        .contains(
            "/metadata/labels", "/metadata/annotations", "/spec/initContainers", "/spec/volumes");
  }

  @Test
  void skipsAnOptedOutPodWithTheReasonInAnAnnotation() throws Exception {
    JsonNode pod =
        pod("{\"name\":\"p\",\"labels\":{\"mcp-sidecar.io/inject\":\"false\"}}", ONE_MCP_PORT);
    InjectionResult result = injector.inject(pod, "ns");
    assertThat(result)
        .isInstanceOfSatisfying(
            InjectionResult.Skipped.class,
            s -> assertThat(s.reason()).isEqualTo(SkipReason.OPT_OUT));
    assertThat(
            applied(pod, result).at("/metadata/annotations/mcp-sidecar.io~1skip-reason").asText())
        .isEqualTo("opt-out");
  }

  @Test
  void skipsHostNetworkPodsExcludedNamespacesAndPodsWithoutAnUpstreamPort() {
    assertThat(
            reason(
                pod(
                    "{\"name\":\"p\"}",
                    ONE_MCP_PORT.replace(
                        "{\"containers\"", "{\"hostNetwork\":true,\"containers\"")),
                "ns"))
        .isEqualTo(SkipReason.HOST_NETWORK);
    assertThat(reason(pod("{\"name\":\"p\"}", ONE_MCP_PORT), "kube-system"))
        .isEqualTo(SkipReason.EXCLUDED_NAMESPACE);
    assertThat(
            reason(
                pod("{\"name\":\"p\"}", "{\"containers\":[{\"name\":\"a\",\"image\":\"a\"}]}"),
                "ns"))
        .isEqualTo(SkipReason.NO_UPSTREAM_PORT);
  }

  @Test
  void returnsNoPatchForAnAlreadyInjectedPod() {
    JsonNode pod =
        pod("{\"name\":\"p\",\"labels\":{\"mcp-sidecar.io/injected\":\"true\"}}", ONE_MCP_PORT);
    InjectionResult result = injector.inject(pod, "ns");
    assertThat(reason(pod, "ns")).isEqualTo(SkipReason.ALREADY_INJECTED);
    assertThat(result.operations()).isEmpty();
  }

  @Test
  void rejectsAnInjectLabelThatIsNeitherTrueNorFalse() {
    JsonNode pod =
        pod("{\"name\":\"p\",\"labels\":{\"mcp-sidecar.io/inject\":\"yes\"}}", ONE_MCP_PORT);
    assertThat(injector.inject(pod, "ns"))
        .isInstanceOfSatisfying(
            InjectionResult.Rejected.class,
            r -> assertThat(r.problems()).singleElement().asString().contains("\"yes\""));
  }

  @Test
  void rejectsAServerPortThatClashesWithTheAgentsPorts() {
    JsonNode pod =
        pod(
            "{\"name\":\"p\",\"annotations\":{\"mcp-sidecar.io/upstream-port\":\"8080\"}}",
            "{\"containers\":[{\"name\":\"s\",\"image\":\"s\",\"ports\":[{\"containerPort\":8080},{\"containerPort\":9901}]}]}");
    assertThat(injector.inject(pod, "ns"))
        .isInstanceOfSatisfying(
            InjectionResult.Rejected.class,
            r ->
                assertThat(r.problems())
                    .singleElement()
                    .asString()
                    .contains("port 9901")
                    .contains("mcp-sidecar.io/admin-port"));
  }

  @Test
  void rejectsAnUpstreamPortNameThatNoContainerDeclares() {
    JsonNode pod =
        pod(
            "{\"name\":\"p\",\"annotations\":{\"mcp-sidecar.io/upstream-port\":\"http\"}}",
            ONE_MCP_PORT);
    assertThat(injector.inject(pod, "ns"))
        .isInstanceOfSatisfying(
            InjectionResult.Rejected.class,
            r -> assertThat(r.problems()).singleElement().asString().contains("mcp"));
  }

  @Test
  void regularContainerModeAppendsTheAgentAndNamesTheDefaultContainer() throws Exception {
    JsonNode pod =
        pod(
            "{\"name\":\"p\",\"annotations\":{\"mcp-sidecar.io/native-sidecar\":\"false\"}}",
            ONE_MCP_PORT);
    JsonNode patched = applied(pod, injector.inject(pod, "ns"));
    assertThat(patched.at("/spec/containers/1/name").asText()).isEqualTo(PodKeys.AGENT_CONTAINER);
    assertThat(patched.at("/spec/containers/1").has("restartPolicy")).isFalse();
    assertThat(patched.path("spec").has("initContainers")).isFalse();
    assertThat(
            patched.at("/metadata/annotations/kubectl.kubernetes.io~1default-container").asText())
        .isEqualTo("server");
  }

  @Test
  void derivesTheServiceNameFromTheDeploymentOfAnUnnamedPod() {
    JsonNode pod =
        pod(
            "{\"generateName\":\"web-6d4f9-\",\"labels\":{\"pod-template-hash\":\"6d4f9\"},"
                + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"web-6d4f9\",\"uid\":\"u\",\"controller\":true}]}",
            ONE_MCP_PORT);
    WorkloadIdentity identity = WorkloadIdentity.of(new PodView(pod));
    assertThat(identity.serviceName()).isEqualTo("web");
    assertThat(identity.resourceAttributes()).containsEntry("k8s.deployment.name", "web");
  }

  @Test
  void passesTheClusterOtlpEndpointToTheAgent() throws Exception {
    var settings = InjectionSettings.defaults("1");
    var withOtlp =
        new InjectionSettings(
            "1",
            settings.agentImage(),
            settings.configMap(),
            settings.listenPort(),
            settings.adminPort(),
            settings.logLevel(),
            true,
            settings.resources(),
            Set.of(),
            Optional.of("http://otel-collector.observability:4318"));
    JsonNode pod = pod("{\"name\":\"p\"}", ONE_MCP_PORT);
    JsonNode agent = agent(applied(pod, new PodInjector(withOtlp).inject(pod, "ns")));
    assertThat(env(agent, "OTEL_EXPORTER_OTLP_ENDPOINT"))
        .isEqualTo("http://otel-collector.observability:4318");
    // an endpoint alone does not turn the agent's tracing on; this variable does, through
    // `telemetry.tracing.enabled: ${MCP_SIDECAR_TRACING_ENABLED:-false}` in its config
    assertThat(env(agent, "MCP_SIDECAR_TRACING_ENABLED")).isEqualTo("true");
  }

  private SkipReason reason(JsonNode pod, String namespace) {
    InjectionResult result = injector.inject(pod, namespace);
    assertThat(result).isInstanceOf(InjectionResult.Skipped.class);
    return ((InjectionResult.Skipped) result).reason();
  }
}
