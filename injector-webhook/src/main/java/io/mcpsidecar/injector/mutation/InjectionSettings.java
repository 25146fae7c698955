package io.mcpsidecar.injector.mutation;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster-wide defaults of the injector (set on the webhook Deployment), which pod annotations
 * may override one by one.
 *
 * @param version the injector version written into {@code mcp-sidecar.io/injected-version}
 * @param agentImage the agent image when {@code mcp-sidecar.io/image} is absent
 * @param configMap the agent config ConfigMap when {@code mcp-sidecar.io/config-map} is absent
 * @param listenPort the agent's MCP port
 * @param adminPort the agent's admin port (probes, metrics)
 * @param logLevel the agent's log level
 * @param nativeSidecar whether the agent is an init container with {@code restartPolicy: Always}
 * @param resources the agent's default requests and limits
 * @param excludedNamespaces namespaces never injected (the control plane, the webhook's own)
 * @param otlpEndpoint an OTLP endpoint passed to the agent as {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 */
public record InjectionSettings(
    String version,
    String agentImage,
    String configMap,
    int listenPort,
    int adminPort,
    String logLevel,
    boolean nativeSidecar,
    AgentResources resources,
    Set<String> excludedNamespaces,
    Optional<String> otlpEndpoint) {

  public static final String DEFAULT_IMAGE = "ghcr.io/mcp-sidecar/agent:0.1.0";
  public static final String DEFAULT_CONFIG_MAP = "mcp-sidecar-config";
  public static final int DEFAULT_LISTEN_PORT = 9000;
  public static final int DEFAULT_ADMIN_PORT = 9901;
  public static final Set<String> DEFAULT_EXCLUDED_NAMESPACES =
      Set.of("kube-system", "kube-public", "kube-node-lease");

  public InjectionSettings {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(agentImage, "agentImage");
    Objects.requireNonNull(configMap, "configMap");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(resources, "resources");
    excludedNamespaces = Set.copyOf(excludedNamespaces);
    Objects.requireNonNull(otlpEndpoint, "otlpEndpoint");
  }

  /** The defaults of the agent's contract, for the given injector version. */
  public static InjectionSettings defaults(String version) {
    return new InjectionSettings(
        version,
        DEFAULT_IMAGE,
        DEFAULT_CONFIG_MAP,
        DEFAULT_LISTEN_PORT,
        DEFAULT_ADMIN_PORT,
        "INFO",
        true,
        AgentResources.DEFAULT,
        DEFAULT_EXCLUDED_NAMESPACES,
        Optional.empty());
  }

  /**
   * Requests and limits of the agent container; an empty value leaves that entry out (no CPU limit
   * by default: CFS throttling of a proxy shows up as tail latency for every MCP call).
   */
  public record AgentResources(
      Optional<Quantity> cpuRequest,
      Optional<Quantity> cpuLimit,
      Optional<Quantity> memoryRequest,
      Optional<Quantity> memoryLimit) {
    public static final AgentResources DEFAULT =
        new AgentResources(
            Quantity.parse("100m"),
            Optional.empty(),
            Quantity.parse("224Mi"),
            Quantity.parse("384Mi"));
  }
}
