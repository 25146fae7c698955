package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.McpCall;

/**
 * The operations taxonomy of failures: availability, latency, correctness, security, quota. One
 * class per request, so dashboards and alerts can route a failure to the right runbook.
 */
enum ErrorClass {
  NONE("none"),
  AVAILABILITY("availability"),
  LATENCY("latency"),
  CORRECTNESS("correctness"),
  SECURITY("security"),
  QUOTA("quota");

  private final String label;

  ErrorClass(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  static ErrorClass of(McpCall call, JsonRpcMessage request) {
    ErrorCode rejected = call.rejectedWith();
    if (rejected != null) {
      return switch (rejected) {
        case UPSTREAM_UNAVAILABLE,
            SHUTTING_DOWN,
            DEGRADED,
            INTERNAL,
            LIMITER_UNAVAILABLE,
            OVERLOADED ->
            AVAILABILITY;
        case UPSTREAM_TIMEOUT -> LATENCY;
        case PARSE_ERROR, INVALID_REQUEST, HEADER_MISMATCH, METHOD_NOT_ALLOWED -> CORRECTNESS;
        case RATE_LIMITED, QUOTA_EXHAUSTED, CONCURRENCY_LIMITED, STREAM_LIMITED -> QUOTA;
        case PAYLOAD_TOO_LARGE,
            ORIGIN_NOT_ALLOWED,
            HEADERS_TOO_LARGE,
            REQUEST_TIMEOUT,
            UNSUPPORTED_MEDIA_TYPE,
            UNAUTHENTICATED,
            SESSION_NOT_FOUND,
            POLICY_DENIED,
            APPROVAL_REQUIRED ->
            SECURITY;
      };
    }
    if (call.upstreamFailure() != null || call.status() >= 500) {
      return AVAILABILITY;
    }
    JsonRpcMessage response =
        request == null || request.id() == null ? null : call.responses().get(request.id());
    if (response != null && (response.errorCode() != null || response.toolError())) {
      return CORRECTNESS;
    }
    if (response == null && call.status() >= 400) {
      return CORRECTNESS;
    }
    return NONE;
  }
}
