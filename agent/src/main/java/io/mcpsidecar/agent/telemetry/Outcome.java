package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.McpCall;

/** How one JSON-RPC request ended, as a small set of labels. */
enum Outcome {
  OK("ok"),
  ERROR("error"),
  TOOL_ERROR("tool_error"),
  REJECTED("rejected"),
  UPSTREAM_ERROR("upstream_error"),
  CANCELLED("cancelled");

  private final String label;

  Outcome(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  static Outcome of(McpCall call, JsonRpcMessage request) {
    if (call.rejectedWith() != null) {
      return call.rejectedWith().httpStatus() >= 500 ? UPSTREAM_ERROR : REJECTED;
    }
    if (call.status() >= 500 || call.upstreamFailure() != null) {
      return UPSTREAM_ERROR;
    }
    JsonRpcMessage response = request == null ? null : call.responses().get(request.id());
    if (response == null) {
      if (call.status() >= 400) {
        return ERROR;
      }
      return request != null && request.isRequest() && call.status() != 202 ? CANCELLED : OK;
    }
    if (response.errorCode() != null) {
      return ERROR;
    }
    return response.toolError() ? TOOL_ERROR : OK;
  }
}
