package io.mcpsidecar.agent.transport;

import java.util.Map;

/**
 * What a {@link McpInterceptor} (a stage that only decides before the call) decided: let the call
 * go on, answer it with a rejection, or answer it with a local response (a resource the agent
 * itself serves on the MCP port, such as the protected-resource metadata).
 */
public sealed interface Verdict {

  Verdict PROCEED = new Proceed();

  static Verdict reject(Rejection rejection) {
    return new Reject(rejection);
  }

  static Verdict respond(int status, Map<String, String> headers, String body) {
    return new Respond(status, headers, body);
  }

  /** Pass the call to the next stage, and finally to the server. */
  record Proceed() implements Verdict {}

  /** Answer the client now; the server never sees the call. */
  record Reject(Rejection rejection) implements Verdict {}

  /**
   * Answer the client with this response; the server never sees the call. Not an error: use it for
   * what the agent serves itself, never for refusals (those are {@link Reject}s, so that they are
   * JSON-RPC errors with documented codes).
   */
  record Respond(int status, Map<String, String> headers, String body) implements Verdict {
    public Respond {
      headers = Map.copyOf(headers);
    }
  }
}
