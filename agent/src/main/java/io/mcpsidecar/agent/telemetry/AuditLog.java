package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.CallListener;
import io.mcpsidecar.agent.transport.McpCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The audit trail: one JSON line per security-relevant decision on logger {@code mcp.audit}, with
 * the stable fields documented in docs/audit.md. Today: every call the agent refused. Later stages
 * (identity, policy, limits, approvals) write to the same logger with the same fields.
 */
public final class AuditLog implements CallListener {

  /** The logger every audit event goes to; route it to its own sink in logback if needed. */
  public static final String LOGGER = "mcp.audit";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private final MeterRegistry registry;

  public AuditLog(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void onEnd(McpCall call) {
    if (call.rejectedWith() == null || call.rejectedWith().httpStatus() >= 500) {
      return; // failures of the server are not security decisions
    }
    JsonRpcMessage first = call.messages().isEmpty() ? null : call.messages().get(0);
    var span = CallTracing.spanContext(call);
    LoggingEventBuilder event =
        LOG.atInfo()
            .addKeyValue("event", "call_rejected")
            .addKeyValue("decision", "deny")
            .addKeyValue("reason", call.rejectedWith().type())
            .addKeyValue("code", call.rejectedWith().code())
            .addKeyValue("httpStatus", call.rejectedWith().httpStatus())
            .addKeyValue("requestId", call.requestId())
            .addKeyValue("traceId", span.isValid() ? span.getTraceId() : null)
            .addKeyValue("remoteAddress", call.remoteAddress())
            .addKeyValue("httpMethod", call.httpMethod().name());
    if (first != null && first.method() != null) {
      event = event.addKeyValue("method", first.method());
    }
    if (first != null && first.target() != null) {
      event = event.addKeyValue("target", first.target());
    }
    Object tenant = call.attributes().get("tenant");
    if (tenant != null) {
      event = event.addKeyValue("tenant", tenant.toString());
    }
    Object subject = call.attributes().get("subject");
    if (subject != null) {
      event = event.addKeyValue("subject", subject.toString());
    }
    if (call.headers().get("Origin") != null) {
      event = event.addKeyValue("origin", call.headers().get("Origin"));
    }
    event.log("call rejected: {}", call.rejectedWith().type());
    Counter.builder("mcp.sidecar.audit.events")
        .description("Audit events written, by type")
        .tag("type", "call_rejected")
        .register(registry)
        .increment();
  }
}
