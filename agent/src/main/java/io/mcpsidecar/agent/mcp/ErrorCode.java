package io.mcpsidecar.agent.mcp;

/**
 * Every JSON-RPC error code the agent itself answers with, and the HTTP status that goes with it.
 * Codes -32000..-32019 and -32021 (JSON-RPC's implementation range) are this product's own and are
 * documented in docs/errors.md; the others are JSON-RPC's and MCP's. Reserved codes are named here
 * so later stages use them rather than invent new ones.
 */
public enum ErrorCode {
  PARSE_ERROR(-32700, 400, "parse_error"),
  INVALID_REQUEST(-32600, 400, "invalid_request"),
  HEADER_MISMATCH(-32020, 400, "header_mismatch"),
  UPSTREAM_UNAVAILABLE(-32000, 502, "upstream_unavailable"),
  UPSTREAM_TIMEOUT(-32001, 504, "upstream_timeout"),
  PAYLOAD_TOO_LARGE(-32002, 413, "payload_too_large"),
  ORIGIN_NOT_ALLOWED(-32003, 403, "origin_not_allowed"),
  HEADERS_TOO_LARGE(-32004, 431, "headers_too_large"),
  SHUTTING_DOWN(-32005, 503, "shutting_down"),
  UNSUPPORTED_MEDIA_TYPE(-32006, 415, "unsupported_media_type"),
  INTERNAL(-32007, 500, "internal_error"),
  /** An HTTP method the MCP endpoint does not serve (anything but GET, POST and DELETE). */
  METHOD_NOT_ALLOWED(-32008, 405, "method_not_allowed"),
  /** The request body did not arrive within the listener's body deadline. */
  REQUEST_TIMEOUT(-32009, 408, "request_timeout"),
  /** The caller could not be identified: no, or invalid, credentials (identity). */
  UNAUTHENTICATED(-32010, 401, "unauthenticated"),
  /**
   * A policy rule (or the default) denied the call; {@code data.rule} names it. In a 200, like a
   * server's own error for a request: an HTTP 403 reads as an authorization failure of the
   * transport to MCP clients (the MCP Java SDK throws without the body; others start an
   * authorization flow), so the caller would never learn which rule refused it.
   */
  POLICY_DENIED(-32011, 200, "policy_denied"),
  /** A rate limit was hit (tenant, tool or global). */
  RATE_LIMITED(-32012, 429, "rate_limited"),
  /** A day or month quota is exhausted. */
  QUOTA_EXHAUSTED(-32013, 429, "quota_exhausted"),
  /** Too many calls of this tenant in flight. */
  CONCURRENCY_LIMITED(-32014, 429, "concurrency_limited"),
  /**
   * The call waits for a human approval ({@code data.approvalId}). 200, not 202: in Streamable HTTP
   * a 202 answers a notification or response and carries no body, so a client would never read the
   * error; a JSON-RPC error travels in a 200 answer like any other result of a request.
   */
  APPROVAL_REQUIRED(-32015, 200, "approval_required"),
  /**
   * The server or a dependency is degraded: a dependency of the called tool is down ({@code
   * data.reason: dependency_down}), or the circuit breaker around the server is open ({@code
   * data.reason: circuit_open}); calls are refused before any work.
   */
  DEGRADED(-32016, 503, "degraded"),
  /**
   * A session id presented by a subject other than the one that opened the session: answered like
   * an unknown session, so the client re-initializes and learns nothing about the session.
   */
  SESSION_NOT_FOUND(-32017, 404, "session_not_found"),
  /** The limits backend (Redis) could not decide in time and limits fail closed. */
  LIMITER_UNAVAILABLE(-32018, 503, "limiter_unavailable"),
  /**
   * The agent is at a capacity bound and refuses new work rather than fail work in flight: the
   * request bodies held over all calls reached {@code listen.maxBufferedBytes}, or the session
   * table is full of sessions in use (forgetting a live one would let another subject adopt it), or
   * the bulkhead in front of the server is full with its queue ({@code upstream.bulkhead}). {@code
   * data.reason} says which.
   */
  OVERLOADED(-32019, 503, "overloaded"),
  /**
   * A standalone GET stream past a limit (per session, per tenant, or the agent's stream pool). 405
   * because the MCP spec allows a server only an event stream or 405 for a GET, and clients read
   * 405 as "no stream here for now" and carry on with POST.
   */
  STREAM_LIMITED(-32021, 405, "stream_limited");

  private final int code;
  private final int httpStatus;
  private final String type;

  ErrorCode(int code, int httpStatus, String type) {
    this.code = code;
    this.httpStatus = httpStatus;
    this.type = type;
  }

  public int code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** A stable, lower-case name for logs, metrics and {@code data.type}. */
  public String type() {
    return type;
  }
}
