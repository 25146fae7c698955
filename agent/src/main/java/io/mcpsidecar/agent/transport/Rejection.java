package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import java.util.Map;

/**
 * A call the agent answers itself instead of forwarding. Mapped to HTTP and JSON-RPC in exactly one
 * place ({@link Responses#reject}).
 *
 * @param code the documented error code; it also fixes the HTTP status
 * @param message a sentence for humans
 * @param data members a program can act on ({@code retryAfterMs}, {@code approvalId}, ...)
 * @param headers extra response headers ({@code Retry-After}, {@code WWW-Authenticate}, ...)
 */
public record Rejection(
    ErrorCode code, String message, Map<String, Object> data, Map<String, String> headers) {

  public Rejection {
    data = Map.copyOf(data);
    headers = Map.copyOf(headers);
  }

  public static Rejection of(ErrorCode code, String message) {
    return new Rejection(code, message, Map.of(), Map.of());
  }

  public static Rejection of(ErrorCode code, String message, Map<String, Object> data) {
    return new Rejection(code, message, data, Map.of());
  }
}
