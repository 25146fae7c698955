package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.audit.AuditEvent;
import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.CallListener;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Principal;

/**
 * Writes a {@code call_rejected} audit event for every call the agent refused with a 4xx, once its
 * exchange ends (refusals by the stages, and at the edge before any stage ran).
 */
public final class AuditLog implements CallListener {

  private final AuditSink sink;

  public AuditLog(AuditSink sink) {
    this.sink = sink;
  }

  @Override
  public void onEnd(McpCall call) {
    if (call.rejectedWith() == null || call.rejectedWith().httpStatus() >= 500) {
      return; // failures of the server are not security decisions
    }
    JsonRpcMessage first = call.firstMessage();
    var span = CallTracing.spanContext(call);
    AuditEvent event =
        AuditEvent.deny(AuditEvent.Type.CALL_REJECTED, call.rejectedWith().type())
            .with("code", call.rejectedWith().code())
            .with("httpStatus", call.rejectedWith().httpStatus())
            .with("requestId", call.requestId())
            .with("traceId", span.isValid() ? span.getTraceId() : null)
            .with("remoteAddress", call.remoteAddress())
            .with("httpMethod", call.httpMethod().name());
    if (first != null) {
      event.with("method", first.method()).with("target", first.target());
    }
    Principal principal = call.principal();
    if (principal != null) {
      event.with("tenant", principal.tenant()).with("subject", principal.subject());
    }
    sink.write(event.with("origin", call.headers().get("Origin")));
  }
}
