package io.mcpsidecar.agent.telemetry;

import java.util.Set;

/** The MCP method names used as metric labels; anything else is {@code other}. */
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

  private MethodNames() {}

  static String label(String method) {
    return method != null && KNOWN.contains(method) ? method : "other";
  }
}
