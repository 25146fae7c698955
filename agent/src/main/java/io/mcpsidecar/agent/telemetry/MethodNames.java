package io.mcpsidecar.agent.telemetry;

import java.util.Set;

/**
 * The closed sets of method names used as metric labels: MCP's JSON-RPC methods and HTTP's request
 * methods. Anything else is {@link LabelGuard#OTHER}, as the OpenTelemetry HTTP conventions say of
 * {@code http.request.method}, so a client inventing methods creates no series.
 */
final class MethodNames {

  private static final Set<String> KNOWN =
      Set.of(
          "initialize",
          "ping",
          "server/discover",
          "tools/list",
          "tools/call",
          "resources/list",
          "resources/templates/list",
          "resources/read",
          "resources/subscribe",
          "resources/unsubscribe",
          "prompts/list",
          "prompts/get",
          "completion/complete",
          "logging/setLevel",
          "subscriptions/listen",
          "tasks/get",
          "tasks/list",
          "tasks/result",
          "tasks/cancel");

  /** RFC 9110's methods and PATCH (RFC 5789): the OpenTelemetry HTTP conventions' known set. */
  private static final Set<String> HTTP =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private MethodNames() {}

  static String label(String method) {
    return method != null && KNOWN.contains(method) ? method : LabelGuard.OTHER;
  }

  static String httpLabel(String method) {
    return method != null && HTTP.contains(method) ? method : LabelGuard.OTHER;
  }
}
