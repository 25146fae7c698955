package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.config.UpstreamConfig;
import java.time.Duration;
import java.util.List;

/**
 * How long the server may take to answer a call (to the last byte of a non-streaming answer): by
 * tool for {@code tools/call} ({@code upstream.timeouts.tools}), else by method ({@code
 * upstream.timeouts.methods}), else {@code upstream.responseTimeout}; the first matching entry
 * wins. A batch gets the longest deadline of its requests, so that no member is cut short by
 * another.
 */
public final class UpstreamDeadline {

  private UpstreamDeadline() {}

  /** The deadline of {@code call}'s answer. */
  public static Duration of(McpCall call) {
    UpstreamConfig upstream = call.config().upstream();
    List<JsonRpcMessage> messages = call.messages();
    if (messages.isEmpty()) {
      return upstream.responseTimeout();
    }
    Duration longest = null;
    for (JsonRpcMessage message : messages) {
      if (!message.isRequest()) {
        continue;
      }
      Duration each = of(upstream, message.method(), message.target());
      if (longest == null || each.compareTo(longest) > 0) {
        longest = each;
      }
    }
    return longest != null ? longest : upstream.responseTimeout();
  }

  /** The deadline of one request of {@code method} (and tool {@code target} for tools/call). */
  public static Duration of(UpstreamConfig upstream, String method, String target) {
    UpstreamConfig.Timeouts timeouts = upstream.timeouts();
    if ("tools/call".equals(method) && target != null) {
      for (UpstreamConfig.TimeoutRule rule : timeouts.tools()) {
        if (rule.match().matches(target)) {
          return rule.timeout();
        }
      }
    }
    if (method != null) {
      for (UpstreamConfig.TimeoutRule rule : timeouts.methods()) {
        if (rule.match().matches(method)) {
          return rule.timeout();
        }
      }
    }
    return upstream.responseTimeout();
  }
}
