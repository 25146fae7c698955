package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.CallListener;
import io.mcpsidecar.agent.transport.McpCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/** One JSON line per JSON-RPC message (or per GET/DELETE exchange) once its exchange ends. */
public final class AccessLog implements CallListener {

  private static final Logger LOG = LoggerFactory.getLogger("mcp.access");

  @Override
  public void onEnd(McpCall call) {
    if (!call.config().logging().accessLog() || !LOG.isInfoEnabled()) {
      return;
    }
    double ms = (System.nanoTime() - call.startNanos()) / 1_000_000.0;
    if (call.messages().isEmpty()) {
      line(call, ms).log("{} {}", call.httpMethod().name(), call.status());
      return;
    }
    for (JsonRpcMessage message : call.messages()) {
      LoggingEventBuilder line =
          line(call, ms)
              .addKeyValue("kind", message.kind().name().toLowerCase(java.util.Locale.ROOT))
              .addKeyValue("outcome", Outcome.of(call, message).label());
      if (message.method() != null) {
        line = line.addKeyValue("method", message.method());
      }
      if (message.target() != null) {
        line = line.addKeyValue("target", message.target());
      }
      if (message.id() != null) {
        line = line.addKeyValue("jsonrpcId", message.id());
      }
      var arguments = call.config().logging().arguments();
      if (arguments.enabled() && "tools/call".equals(message.method())) {
        String rendered = ArgumentRedaction.render(call.body(), message.id(), arguments);
        if (rendered != null) {
          line = line.addKeyValue("arguments", rendered);
        }
      }
      JsonRpcMessage response = message.id() == null ? null : call.responses().get(message.id());
      if (response != null && response.errorCode() != null) {
        line = line.addKeyValue("errorCode", response.errorCode());
      }
      line.log("{} {}", message.method() == null ? "response" : message.method(), call.status());
    }
  }

  private static LoggingEventBuilder line(McpCall call, double ms) {
    LoggingEventBuilder line =
        LOG.atInfo()
            .addKeyValue("requestId", call.requestId())
            .addKeyValue("httpMethod", call.httpMethod().name())
            .addKeyValue("status", call.status())
            .addKeyValue("era", call.era().version())
            .addKeyValue("durationMs", Math.round(ms * 1000) / 1000.0);
    var span = CallTracing.spanContext(call);
    if (span.isValid()) {
      line = line.addKeyValue("traceId", span.getTraceId()).addKeyValue("spanId", span.getSpanId());
    }
    Object tenant = call.attributes().get("tenant");
    if (tenant != null) {
      line = line.addKeyValue("tenant", tenant.toString());
    }
    if (call.sessionId() != null) {
      line = line.addKeyValue("session", call.sessionId());
    }
    if (call.rejectedWith() != null) {
      line = line.addKeyValue("rejected", call.rejectedWith().type());
    }
    if (call.stream()) {
      line = line.addKeyValue("stream", true);
    }
    return line;
  }
}
