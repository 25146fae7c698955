package io.mcpsidecar.agent.resilience;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.McpCall;
import io.vertx.core.http.HttpMethod;
import java.util.Set;

/**
 * Which calls the resilience stages act on. The breaker and the bulkhead guard POSTs that carry at
 * least one JSON-RPC request: those are the calls that wait for the server's work. POSTs of only
 * notifications and responses (a client answering the server's own requests) pass, so that a server
 * waiting for them is never cut off; GET streams have their own pool and limits, and a DELETE that
 * ends a session is always attempted.
 */
final class GuardedCalls {

  /** Methods that read and change nothing: safe to send again when nothing was sent. */
  static final Set<String> IDEMPOTENT =
      Set.of(
          "tools/list",
          "prompts/list",
          "prompts/get",
          "resources/list",
          "resources/templates/list",
          "resources/read",
          "ping");

  /** List methods whose last good answer may stand in while the circuit is open. */
  static final Set<String> LISTS = Set.of("tools/list", "prompts/list", "resources/list");

  private GuardedCalls() {}

  static boolean guarded(McpCall call) {
    if (call.httpMethod() != HttpMethod.POST) {
      return false;
    }
    for (JsonRpcMessage message : call.messages()) {
      if (message.isRequest()) {
        return true;
      }
    }
    return false;
  }

  /** A POST whose every message is a request of an idempotent method. */
  static boolean idempotent(McpCall call) {
    if (call.httpMethod() != HttpMethod.POST || call.messages().isEmpty()) {
      return false;
    }
    for (JsonRpcMessage message : call.messages()) {
      if (!message.isRequest() || !IDEMPOTENT.contains(message.method())) {
        return false;
      }
    }
    return true;
  }

  /** The list method of a single (not batched) list request, or null. */
  static String listMethod(McpCall call) {
    if (call.httpMethod() != HttpMethod.POST || call.batch() || call.messages().size() != 1) {
      return null;
    }
    JsonRpcMessage only = call.messages().get(0);
    return only.isRequest() && LISTS.contains(only.method()) ? only.method() : null;
  }
}
