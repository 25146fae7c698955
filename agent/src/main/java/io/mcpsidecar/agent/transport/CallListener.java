package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;

/**
 * Hears what happens on the MCP endpoint without taking part in it (metrics, access log, audit): a
 * listener changes nothing, neither the call nor what is forwarded or answered; what must act on a
 * call is a {@link Stage}. Called on the event loop: implementations must be quick and must not
 * block.
 */
public interface CallListener {

  /**
   * A message the server sent inside a response (JSON body or SSE event). In an event stream only
   * messages that may answer a request are sure to be passed on: events whose data cannot hold a
   * message with an id (progress notifications, say) are relayed without being parsed.
   */
  default void onServerMessage(McpCall call, JsonRpcMessage message) {}

  /** The exchange is over: answered, rejected, failed or closed by either side. */
  void onEnd(McpCall call);

  /** A server-sent event stream opened ({@code delta} = 1) or closed ({@code delta} = -1). */
  default void onStream(McpCall call, int delta) {}

  static CallListener all(java.util.List<CallListener> listeners) {
    return new CallListener() {
      @Override
      public void onServerMessage(McpCall call, JsonRpcMessage message) {
        listeners.forEach(l -> l.onServerMessage(call, message));
      }

      @Override
      public void onEnd(McpCall call) {
        listeners.forEach(l -> l.onEnd(call));
      }

      @Override
      public void onStream(McpCall call, int delta) {
        listeners.forEach(l -> l.onStream(call, delta));
      }
    };
  }
}
