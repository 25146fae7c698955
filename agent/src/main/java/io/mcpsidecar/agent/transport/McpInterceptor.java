package io.mcpsidecar.agent.transport;

import io.vertx.core.Future;

/**
 * One stage of the chain every MCP exchange passes through before it reaches the server (identity,
 * policy, limits, ...). A stage reads the parsed call and either passes it on or answers it. Stages
 * run on the event loop: they must not block; asynchronous work (Redis, JWKS) returns a future.
 */
public interface McpInterceptor {

  /** A short, stable name for logs and metrics. */
  String name();

  /** Decides on the call. A failed future is treated as a rejection (fail closed). */
  Future<Verdict> intercept(McpCall call);

  /** Called once when the exchange ends, however it ends, for stages that hold resources. */
  default void onEnd(McpCall call) {}
}
