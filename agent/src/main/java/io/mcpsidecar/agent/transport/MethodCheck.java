package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/** The HTTP methods the MCP endpoint serves, checked before anything else looks at a request. */
final class MethodCheck {

  private MethodCheck() {}

  /**
   * Anything but GET, POST and DELETE is refused before anything else looks at it. A CORS preflight
   * (OPTIONS with {@code Origin} and {@code Access-Control-Request-Method}, no body) is still
   * passed to the server, which answers it as it always did.
   */
  static Rejection refusal(HttpServerRequest req) {
    HttpMethod method = req.method();
    if (method == HttpMethod.GET || method == HttpMethod.POST || method == HttpMethod.DELETE) {
      return null;
    }
    if (method == HttpMethod.OPTIONS
        && req.getHeader("Origin") != null
        && req.getHeader("Access-Control-Request-Method") != null
        && !hasBody(req)) {
      return null;
    }
    return new Rejection(
        ErrorCode.METHOD_NOT_ALLOWED,
        "the MCP endpoint serves GET, POST and DELETE",
        Map.of("method", method.name().length() > 32 ? "other" : method.name()),
        Map.of("Allow", ALLOW));
  }

  static final String ALLOW = "GET, POST, DELETE";

  static boolean hasBody(HttpServerRequest req) {
    String length = req.getHeader("Content-Length");
    return req.getHeader("Transfer-Encoding") != null
        || (length != null && !length.trim().equals("0"));
  }
}
