package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.McpEra;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.mcpsidecar.benchmarks.upstream.Payloads;
import io.mcpsidecar.config.AgentConfig;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Builds the {@link McpCall} (package-private constructor) that benchmarks of other agent packages
 * hand to their stages: the benchmark client's tools/call, as the edge would have parsed it.
 */
public final class BenchCalls {

  private BenchCalls() {}

  /** A POSTed tools/call of {@code config}'s endpoint, not yet answered. */
  public static McpCall toolsCall(AgentConfig config) {
    byte[] body = Payloads.toolsCall(1_234_567).getBytes();
    List<JsonRpcMessage> messages =
        ((ParseResult.Parsed) new JsonRpcParser(10_000).parse(body)).messages();
    McpCall call =
        McpCall.builder("4bf92f3577b34da6a3ce929d0e0e4736", config)
            .headers(MultiMap.caseInsensitiveMultiMap())
            .era(McpEra.V2025_11_25)
            .messages(messages, false)
            .build();
    call.body(io.vertx.core.buffer.Buffer.buffer(body));
    return call;
  }
}
