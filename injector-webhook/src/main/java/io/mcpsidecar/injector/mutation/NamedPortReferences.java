package io.mcpsidecar.injector.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The server container's own references to the port name that moves to the agent. A probe or a
 * lifecycle hook that says {@code port: mcp} names a port of its own container; once the name has
 * moved, it names nothing, the kubelet fails the probe, and the pod never becomes Ready. Each such
 * reference is replaced by the port number, which still reaches the server (the agent's probes use
 * its admin port, so the server's keep probing the server itself).
 */
final class NamedPortReferences {
  private static final List<String> PROBES =
      List.of("livenessProbe", "readinessProbe", "startupProbe");
  // grpc.port is a number in the v1 API; looked at anyway, so that no name can be left dangling
  private static final List<String> PROBE_HANDLERS = List.of("httpGet", "tcpSocket", "grpc");
  private static final List<String> HOOKS = List.of("postStart", "preStop");
  private static final List<String> HOOK_HANDLERS = List.of("httpGet", "tcpSocket");

  private NamedPortReferences() {}

  /**
   * The operations that point every reference to {@code name} in {@code spec.containers[index]} at
   * {@code number} instead.
   */
  static List<PatchOperation> rewrite(JsonNode container, int index, String name, int number) {
    List<PatchOperation> ops = new ArrayList<>();
    for (String probe : PROBES) {
      for (String handler : PROBE_HANDLERS) {
        if (refersTo(container.path(probe).path(handler).path("port"), name)) {
          ops.add(replace(JsonPointer.of("spec", "containers", index, probe, handler), number));
        }
      }
    }
    for (String hook : HOOKS) {
      for (String handler : HOOK_HANDLERS) {
        JsonNode port = container.path("lifecycle").path(hook).path(handler).path("port");
        if (refersTo(port, name)) {
          ops.add(
              replace(
                  JsonPointer.of("spec", "containers", index, "lifecycle", hook, handler), number));
        }
      }
    }
    return ops;
  }

  private static boolean refersTo(JsonNode port, String name) {
    return port.isTextual() && port.asText().equals(name);
  }

  private static PatchOperation replace(String handler, int number) {
    return PatchOperation.replace(handler + "/port", IntNode.valueOf(number));
  }
}
