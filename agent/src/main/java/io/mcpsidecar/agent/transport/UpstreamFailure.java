package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import java.net.URI;
import java.util.Map;

/**
 * Every way a call to the MCP server can fail before its answer reached the client, mapped to the
 * client's refusal in one place ({@link #rejection}).
 */
enum UpstreamFailure {
  /** No connection could be had (refused, unresolvable, connect timeout). */
  UNREACHABLE(ErrorCode.UPSTREAM_UNAVAILABLE, "the MCP server is unreachable"),
  /** No complete answer within {@code upstream.responseTimeout}. */
  TIMEOUT(ErrorCode.UPSTREAM_TIMEOUT, "the MCP server did not answer in time"),
  /** The connection closed before the answer's head arrived. */
  CLOSED(ErrorCode.UPSTREAM_UNAVAILABLE, "the MCP server closed the connection without answering"),
  /** The answer broke off before any of it was written to the client. */
  BROKE_OFF(ErrorCode.UPSTREAM_UNAVAILABLE, "the MCP server failed while answering"),
  /** The agent began shutting down before a standalone stream's head arrived. */
  DRAINING(ErrorCode.SHUTTING_DOWN, "the agent is shutting down; reconnect");

  private final ErrorCode code;
  private final String message;

  UpstreamFailure(ErrorCode code, String message) {
    this.code = code;
    this.message = message;
  }

  /** The failure's name as {@link UpstreamStage#FAILURE} holds it: {@code unreachable}, ... */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The refusal the client gets; {@code data.upstream} names the server as {@code host:port}. */
  Rejection rejection(URI url) {
    return Rejection.of(code, message, Map.of("upstream", url.getHost() + ":" + port(url)));
  }

  /** The port a connection to {@code url} uses: the URL's, or its scheme's default. */
  static int port(URI url) {
    if (url.getPort() != -1) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }
}
