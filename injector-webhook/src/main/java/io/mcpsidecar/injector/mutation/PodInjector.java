package io.mcpsidecar.injector.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpsidecar.injector.mutation.InjectionResult.Injected;
import io.mcpsidecar.injector.mutation.InjectionResult.Rejected;
import io.mcpsidecar.injector.mutation.InjectionResult.Skipped;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a pod gets the agent and computes the JSON Patch that injects it. Pure: pod JSON
 * and settings in, operations and reasons out; no I/O, no clock, no framework.
 */
public final class PodInjector {
  private static final String PROMETHEUS_PREFIX = "prometheus.io/";

  private final InjectionSettings settings;

  public PodInjector(InjectionSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public InjectionSettings settings() {
    return settings;
  }

  /**
   * Decides for one pod.
   *
   * @param podJson the pod as the API server sent it ({@code request.object})
   * @param namespace the namespace of the request (a pod of a Deployment has none of its own yet)
   */
  public InjectionResult inject(JsonNode podJson, String namespace) {
    var pod = new PodView(podJson);
    if (isInjected(pod)) {
      return new Skipped(SkipReason.ALREADY_INJECTED, List.of(), List.of());
    }
    Optional<String> optIn = pod.label(PodKeys.INJECT);
    if (optIn.isPresent() && optIn.get().equals("false")) {
      return skip(pod, SkipReason.OPT_OUT);
    }
    if (optIn.isPresent() && !optIn.get().equals("true")) {
      return new Rejected(
          List.of(
              "metadata.labels[\""
                  + PodKeys.INJECT
                  + "\"]: \""
                  + optIn.get()
                  + "\" (expected: \"true\" or \"false\")"),
          List.of());
    }
    if (namespace != null && settings.excludedNamespaces().contains(namespace)) {
      return skip(pod, SkipReason.EXCLUDED_NAMESPACE);
    }
    if (pod.hostNetwork()) {
      return skip(pod, SkipReason.HOST_NETWORK);
    }
    var parsed = AnnotationOverrides.parse(pod.metadata().path("annotations"), settings);
    if (!parsed.problems().isEmpty()) {
      return new Rejected(parsed.problems(), parsed.warnings());
    }
    AgentOptions options = parsed.options();
    if (!pod.hasSpecArray("containers") || pod.containers().isEmpty()) {
      return skip(pod, SkipReason.NO_UPSTREAM_PORT);
    }
    UpstreamPort.Resolution resolution = UpstreamPort.resolve(pod, options.upstreamPort());
    if (resolution instanceof UpstreamPort.Invalid invalid) {
      return new Rejected(List.of(invalid.problem()), parsed.warnings());
    }
    if (!(resolution instanceof UpstreamPort.Found found)) {
      return skip(pod, SkipReason.NO_UPSTREAM_PORT);
    }
    UpstreamPort upstream = found.port();
    List<String> conflicts = conflicts(pod, options, upstream);
    if (!conflicts.isEmpty()) {
      return new Rejected(conflicts, parsed.warnings());
    }
    List<String> warnings = new ArrayList<>(parsed.warnings());
    return new Injected(patch(pod, options, upstream, warnings), warnings, upstream);
  }

  /** A pod the webhook has already patched: its label, or an agent container by name. */
  public static boolean isInjected(PodView pod) {
    return pod.label(PodKeys.INJECTED).map("true"::equals).orElse(false)
        || pod.hasContainerNamed(PodKeys.AGENT_CONTAINER);
  }

  private static Skipped skip(PodView pod, SkipReason reason) {
    if (pod.annotation(PodKeys.SKIP_REASON).map(reason.label()::equals).orElse(false)) {
      return new Skipped(reason, List.of(), List.of(reason.explanation()));
    }
    var metadata = new MetadataPatch(pod);
    metadata.annotate(PodKeys.SKIP_REASON, reason.label());
    List<PatchOperation> ops = new ArrayList<>();
    metadata.emit(ops);
    return new Skipped(reason, ops, List.of(reason.explanation()));
  }

  private static List<String> conflicts(PodView pod, AgentOptions options, UpstreamPort upstream) {
    List<String> problems = new ArrayList<>();
    checkPortFree(pod, options.listenPort(), PodKeys.LISTEN_PORT, "MCP listener", problems);
    checkPortFree(pod, options.adminPort(), PodKeys.ADMIN_PORT, "admin listener", problems);
    if (upstream.port() == options.listenPort() || upstream.port() == options.adminPort()) {
      problems.add(
          "upstream port "
              + upstream.port()
              + " ("
              + upstream.source()
              + ") is also a port of the agent (expected: the agent's ports "
              + options.listenPort()
              + " and "
              + options.adminPort()
              + " to differ from it; change "
              + PodKeys.LISTEN_PORT
              + " or "
              + PodKeys.ADMIN_PORT
              + ")");
    }
    for (String volume : List.of(PodKeys.CONFIG_VOLUME, PodKeys.TMP_VOLUME)) {
      if (pod.hasVolumeNamed(volume)) {
        problems.add(
            "spec.volumes: a volume named \""
                + volume
                + "\" already exists (expected: the name to be free for the agent)");
      }
    }
    if (pod.hasPortNamed(PodKeys.ADMIN_PORT_NAME)) {
      problems.add(
          "spec.containers: a port named \""
              + PodKeys.ADMIN_PORT_NAME
              + "\" already exists (expected: the name to be free for the agent's admin port)");
    }
    return problems;
  }

  private static void checkPortFree(
      PodView pod, int port, String annotation, String what, List<String> problems) {
    pod.containerDeclaringPort(port)
        .ifPresent(
            container ->
                problems.add(
                    "port "
                        + port
                        + " of the agent's "
                        + what
                        + " is already declared by container \""
                        + container
                        + "\" (expected: a free port; choose one with annotation "
                        + annotation
                        + ")"));
  }

  private List<PatchOperation> patch(
      PodView pod, AgentOptions options, UpstreamPort upstream, List<String> warnings) {
    List<PatchOperation> ops = new ArrayList<>();
    Optional<String> mcpPortName = upstream.portName();
    if (mcpPortName.isPresent() && upstream.containerIndex() >= 0) {
      // the named port moves to the agent: Services that target it by name now reach the agent
      ops.add(
          PatchOperation.remove(
              JsonPointer.of(
                  "spec",
                  "containers",
                  upstream.containerIndex(),
                  "ports",
                  upstream.portIndex(),
                  "name")));
      // the server's own probes and hooks that named the port must keep reaching the server
      ops.addAll(
          NamedPortReferences.rewrite(
              pod.containers().get(upstream.containerIndex()),
              upstream.containerIndex(),
              mcpPortName.get(),
              upstream.port()));
    } else {
      warnings.add(
          "upstream port "
              + upstream.port()
              + " has no name: Services that target it by number bypass the agent; name the"
              + " server's port \"mcp\" and target that name");
      mcpPortName =
          pod.hasPortNamed(UpstreamPort.MCP_PORT_NAME)
              ? Optional.empty()
              : Optional.of(UpstreamPort.MCP_PORT_NAME);
    }

    ObjectNode agent =
        AgentContainer.container(
            options, upstream, mcpPortName, WorkloadIdentity.of(pod), settings.otlpEndpoint());
    if (options.nativeSidecar()) {
      // first init container: it is running before any other init or app container starts
      ops.add(
          pod.hasSpecArray("initContainers")
              ? PatchOperation.add("/spec/initContainers/0", agent)
              : PatchOperation.add(
                  "/spec/initContainers", JsonNodeFactory.instance.arrayNode().add(agent)));
    } else {
      ops.add(PatchOperation.add("/spec/containers/-", agent));
    }
    List<ObjectNode> volumes =
        List.of(AgentContainer.configVolume(options.configMap()), AgentContainer.tmpVolume());
    if (pod.hasSpecArray("volumes")) {
      volumes.forEach(v -> ops.add(PatchOperation.add("/spec/volumes/-", v)));
    } else {
      var array = JsonNodeFactory.instance.arrayNode();
      volumes.forEach(array::add);
      ops.add(PatchOperation.add("/spec/volumes", array));
    }

    var metadata = new MetadataPatch(pod);
    metadata.label(PodKeys.INJECTED, "true");
    metadata.annotate(PodKeys.INJECTED_VERSION, settings.version());
    metadata.annotate(PodKeys.STATUS, status(options, upstream).toString());
    List<String> ownPrometheus = pod.annotationKeysStartingWith(PROMETHEUS_PREFIX);
    if (ownPrometheus.isEmpty()) {
      metadata.annotate(PROMETHEUS_PREFIX + "scrape", "true");
      metadata.annotate(PROMETHEUS_PREFIX + "port", String.valueOf(options.adminPort()));
      metadata.annotate(PROMETHEUS_PREFIX + "path", "/metrics");
    } else {
      // the convention holds one port and path per pod: the pod's own metrics keep them
      warnings.add(
          "the pod sets "
              + String.join(", ", ownPrometheus.subList(0, Math.min(3, ownPrometheus.size())))
              + (ownPrometheus.size() > 3 ? ", ..." : "")
              + " itself: its "
              + PROMETHEUS_PREFIX
              + "* annotations are left as they are, so the agent's metrics (port "
              + options.adminPort()
              + ", /metrics) are not announced by annotations; scrape them with a PodMonitor on"
              + " port "
              + PodKeys.ADMIN_PORT_NAME);
    }
    String defaultContainer = "kubectl.kubernetes.io/default-container";
    if (!options.nativeSidecar()
        && pod.annotation(defaultContainer).isEmpty()
        && !upstream.container().isEmpty()) {
      metadata.annotate(defaultContainer, upstream.container());
    }
    metadata.emit(ops);
    return ops;
  }

  private ObjectNode status(AgentOptions options, UpstreamPort upstream) {
    ObjectNode status = JsonNodeFactory.instance.objectNode();
    status.put("version", settings.version());
    status.put("mode", options.nativeSidecar() ? "native-sidecar" : "container");
    status.put("upstreamPort", upstream.port());
    status.put("upstreamSource", upstream.source());
    status.put("listenPort", options.listenPort());
    status.put("adminPort", options.adminPort());
    return status;
  }
}
