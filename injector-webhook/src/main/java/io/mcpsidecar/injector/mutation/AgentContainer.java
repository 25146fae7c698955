package io.mcpsidecar.injector.mutation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of the agent container and its volumes, as the agent's contract wants them: the command
 * that reads {@code /etc/mcp-sidecar/config.yaml}, the MCP and admin ports, probes on the admin
 * port, downward-API and OpenTelemetry environment, and a securityContext that meets the restricted
 * Pod Security Standard on its own.
 */
public final class AgentContainer {
  static final String CONFIG_DIR = "/etc/mcp-sidecar";
  static final String CONFIG_FILE = CONFIG_DIR + "/config.yaml";
  static final List<String> COMMAND =
      List.of("java", "-jar", "/app/mcp-sidecar-agent.jar", "--config", CONFIG_FILE);

  /**
   * The agent's JVM options ({@code JAVA_TOOL_OPTIONS}): those of {@code scripts/agent-java-opts},
   * measured in docs/benchmarks.md, with the heap sized from the container's memory limit ({@code
   * -XX:MaxRAMPercentage=50}: 192 MiB of the default 384Mi) instead of a fixed {@code -Xmx}.
   * TrimNativeHeapInterval needs JDK 17.0.9 or later in the agent image. They add to the image's
   * {@code JDK_JAVA_OPTIONS}, which name its AOT cache: the cache is used only with the GC it was
   * trained with, Serial, so these keep it (scripts/test-images.sh runs the image with them and
   * checks that the cache is used).
   */
  static final String JAVA_TOOL_OPTIONS =
      "-XX:+UseSerialGC -Xms16m -XX:MaxRAMPercentage=50 -XX:MinHeapFreeRatio=10"
          + " -XX:MaxHeapFreeRatio=30 -XX:TrimNativeHeapInterval=5000 -XX:-UsePerfData"
          + " -XX:+ExitOnOutOfMemoryError";

  /** The UID/GID the agent runs as (the distroless "nonroot" user). */
  static final int RUN_AS = 65532;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AgentContainer() {}

  /**
   * The agent container.
   *
   * @param mcpPortName the name of the agent's MCP port (the name moved from the server, if any)
   */
  public static ObjectNode container(
      AgentOptions options,
      UpstreamPort upstream,
      Optional<String> mcpPortName,
      WorkloadIdentity identity,
      Optional<String> otlpEndpoint) {
    ObjectNode c = JSON.objectNode();
    c.put("name", PodKeys.AGENT_CONTAINER);
    c.put("image", options.image());
    c.put("imagePullPolicy", "IfNotPresent");
    ArrayNode command = c.putArray("command");
    COMMAND.forEach(command::add);
    if (options.nativeSidecar()) {
      // a native sidecar: starts before the app containers, and does not keep a Job alive
      c.put("restartPolicy", "Always");
    }
    ArrayNode ports = c.putArray("ports");
    ObjectNode mcp = ports.addObject();
    mcpPortName.ifPresent(name -> mcp.put("name", name));
    mcp.put("containerPort", options.listenPort()).put("protocol", "TCP");
    ports
        .addObject()
        .put("name", PodKeys.ADMIN_PORT_NAME)
        .put("containerPort", options.adminPort())
        .put("protocol", "TCP");
    c.set("env", env(options, upstream, identity, otlpEndpoint));
    options
        .envFromSecret()
        .ifPresent(
            secret -> c.putArray("envFrom").addObject().putObject("secretRef").put("name", secret));
    c.set("resources", resources(options.resources()));
    ArrayNode mounts = c.putArray("volumeMounts");
    mounts
        .addObject()
        .put("name", PodKeys.CONFIG_VOLUME)
        .put("mountPath", CONFIG_DIR)
        .put("readOnly", true);
    mounts.addObject().put("name", PodKeys.TMP_VOLUME).put("mountPath", "/tmp");
    // start-up and liveness read /healthz, which never depends on the MCP server: a slow or
    // broken server must not get the agent restarted; readiness (/readyz) does depend on it.
    c.set("startupProbe", probe("/healthz", options.adminPort(), 1, 1, 120));
    c.set("livenessProbe", probe("/healthz", options.adminPort(), 10, 2, 3));
    c.set("readinessProbe", probe("/readyz", options.adminPort(), 5, 2, 2));
    c.set("securityContext", securityContext());
    c.put("terminationMessagePolicy", "FallbackToLogsOnError");
    return c;
  }

  /** The config ConfigMap volume (mounted whole, never by subPath, so that updates arrive). */
  public static ObjectNode configVolume(String configMap) {
    ObjectNode v = JSON.objectNode().put("name", PodKeys.CONFIG_VOLUME);
    v.putObject("configMap").put("name", configMap);
    return v;
  }

  /** A small writable /tmp, since the root filesystem is read-only. */
  public static ObjectNode tmpVolume() {
    ObjectNode v = JSON.objectNode().put("name", PodKeys.TMP_VOLUME);
    v.putObject("emptyDir").put("sizeLimit", "64Mi");
    return v;
  }

  private static ArrayNode env(
      AgentOptions options,
      UpstreamPort upstream,
      WorkloadIdentity identity,
      Optional<String> otlpEndpoint) {
    ArrayNode env = JSON.arrayNode();
    fieldRef(env, "POD_NAME", "metadata.name");
    fieldRef(env, "POD_NAMESPACE", "metadata.namespace");
    fieldRef(env, "NODE_NAME", "spec.nodeName");
    fieldRef(env, "POD_IP", "status.podIP");
    value(env, "MCP_SIDECAR_UPSTREAM_PORT", String.valueOf(upstream.port()));
    value(env, "MCP_SIDECAR_LISTEN_PORT", String.valueOf(options.listenPort()));
    value(env, "MCP_SIDECAR_ADMIN_PORT", String.valueOf(options.adminPort()));
    value(env, "MCP_SIDECAR_LOG_LEVEL", options.logLevel());
    value(env, "JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
    value(env, "OTEL_SERVICE_NAME", identity.serviceName());
    var attributes = new StringBuilder();
    // $(VAR) is expanded by the kubelet from the variables defined above
    attributes.append("k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE)");
    attributes.append(",k8s.node.name=$(NODE_NAME),k8s.container.name=");
    attributes.append(PodKeys.AGENT_CONTAINER);
    identity
        .resourceAttributes()
        .forEach((k, v) -> attributes.append(',').append(k).append('=').append(encode(v)));
    value(env, "OTEL_RESOURCE_ATTRIBUTES", attributes.toString());
    otlpEndpoint.ifPresent(
        endpoint -> {
          value(env, "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
          // read by `telemetry.tracing.enabled: ${MCP_SIDECAR_TRACING_ENABLED:-false}` in the
          // agent config: an endpoint alone does not turn tracing on (docs/injection.md)
          value(env, "MCP_SIDECAR_TRACING_ENABLED", "true");
        });
    return env;
  }

  /** W3C Baggage-style percent-encoding, as the OTel spec asks for attribute values. */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void fieldRef(ArrayNode env, String name, String path) {
    ObjectNode var = env.addObject().put("name", name);
    var.putObject("valueFrom").putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", path);
  }

  private static void value(ArrayNode env, String name, String value) {
    env.addObject().put("name", name).put("value", value);
  }

  private static ObjectNode resources(InjectionSettings.AgentResources resources) {
    ObjectNode r = JSON.objectNode();
    ObjectNode requests = JSON.objectNode();
    resources.cpuRequest().ifPresent(q -> requests.put("cpu", q.text()));
    resources.memoryRequest().ifPresent(q -> requests.put("memory", q.text()));
    ObjectNode limits = JSON.objectNode();
    resources.cpuLimit().ifPresent(q -> limits.put("cpu", q.text()));
    resources.memoryLimit().ifPresent(q -> limits.put("memory", q.text()));
    if (!requests.isEmpty()) {
      r.set("requests", requests);
    }
    if (!limits.isEmpty()) {
      r.set("limits", limits);
    }
    return r;
  }

  private static ObjectNode probe(
      String path, int port, int periodSeconds, int timeoutSeconds, int failureThreshold) {
    ObjectNode probe = JSON.objectNode();
    probe.putObject("httpGet").put("path", path).put("port", port);
    probe.put("periodSeconds", periodSeconds);
    probe.put("timeoutSeconds", timeoutSeconds);
    probe.put("failureThreshold", failureThreshold);
    return probe;
  }

  private static ObjectNode securityContext() {
    ObjectNode sc = JSON.objectNode();
    sc.put("runAsNonRoot", true);
    sc.put("runAsUser", RUN_AS);
    sc.put("runAsGroup", RUN_AS);
    sc.put("allowPrivilegeEscalation", false);
    sc.put("readOnlyRootFilesystem", true);
    sc.putObject("capabilities").putArray("drop").add("ALL");
    sc.putObject("seccompProfile").put("type", "RuntimeDefault");
    return sc;
  }
}
