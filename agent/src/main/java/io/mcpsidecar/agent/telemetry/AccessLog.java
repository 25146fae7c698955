package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.MessageKind;
import io.mcpsidecar.agent.transport.CallListener;
import io.mcpsidecar.agent.transport.McpCall;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per JSON-RPC message (or per GET/DELETE exchange) once its exchange ends. The
 * line's fields are gathered into an {@link AccessLine} that {@link JsonLineEncoder} writes on the
 * appender's thread; the event's message is {@code "<method> <status>"} as before.
 */
public final class AccessLog implements CallListener {

  private static final Logger LOG = LoggerFactory.getLogger("mcp.access");
  private static final String[] KINDS = new String[MessageKind.values().length];

  static {
    for (MessageKind kind : MessageKind.values()) {
      KINDS[kind.ordinal()] = kind.name().toLowerCase(Locale.ROOT);
    }
  }

  @Override
  public void onEnd(McpCall call) {
    if (!call.config().logging().accessLog() || !LOG.isInfoEnabled()) {
      return;
    }
    double ms = (System.nanoTime() - call.startNanos()) / 1_000_000.0;
    double durationMs = Math.round(ms * 1000) / 1000.0;
    var span = CallTracing.spanContext(call);
    String traceId = span.isValid() ? span.getTraceId() : null;
    String spanId = span.isValid() ? span.getSpanId() : null;
    String tenant = call.tenantOr(null);
    String rejected = call.rejectedWith() == null ? null : call.rejectedWith().type();
    String httpMethod = call.httpMethod().name();
    int status = call.status();
    String era = call.era().version();
    if (call.messages().isEmpty()) {
      AccessLine line =
          new AccessLine(
              call.requestId(),
              httpMethod,
              status,
              era,
              durationMs,
              traceId,
              spanId,
              tenant,
              call.sessionFingerprint(),
              rejected,
              call.stream(),
              null,
              null,
              null,
              null,
              null,
              null,
              null);
      LOG.info("{} {}", httpMethod, status, line);
      return;
    }
    var arguments = call.config().logging().arguments();
    for (JsonRpcMessage message : call.messages()) {
      String rendered = null;
      if (arguments.enabled() && "tools/call".equals(message.method())) {
        rendered = ArgumentRedaction.render(call.body(), message.id(), arguments);
      }
      JsonRpcMessage response = message.id() == null ? null : call.responses().get(message.id());
      AccessLine line =
          new AccessLine(
              call.requestId(),
              httpMethod,
              status,
              era,
              durationMs,
              traceId,
              spanId,
              tenant,
              call.sessionFingerprint(),
              rejected,
              call.stream(),
              KINDS[message.kind().ordinal()],
              Outcome.of(call, message).label(),
              message.method(),
              message.target(),
              message.id(),
              rendered,
              response == null ? null : response.errorCode());
      LOG.info("{} {}", message.method() == null ? "response" : message.method(), status, line);
    }
  }
}
