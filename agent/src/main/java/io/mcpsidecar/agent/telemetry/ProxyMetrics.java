package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.CallListener;
import io.mcpsidecar.agent.transport.McpCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The golden signals of MCP traffic: durations by method, target, outcome and error class;
 * rejections; upstream status codes; bytes; open streams. Labels a client controls are capped
 * ({@link LabelGuard}); the request's span is current while its duration is recorded, so the
 * histogram carries its trace id as an exemplar.
 */
public final class ProxyMetrics implements CallListener {

  /** The OpenTelemetry MCP semantic-convention buckets, plus 0.4 s (the p95 SLO edge). */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
    Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)
  };

  private final MeterRegistry registry;
  private final AtomicInteger openStreams = new AtomicInteger();
  private final LabelGuard targets = new LabelGuard();
  private final Counter bytesIn;
  private final Counter bytesOut;

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("mcp.sidecar.sse.streams", openStreams);
    bytesIn =
        Counter.builder("mcp.sidecar.bytes")
            .description("Body bytes relayed")
            .baseUnit("bytes")
            .tag("direction", "in")
            .register(registry);
    bytesOut =
        Counter.builder("mcp.sidecar.bytes")
            .description("Body bytes relayed")
            .baseUnit("bytes")
            .tag("direction", "out")
            .register(registry);
  }

  @Override
  public void onStream(McpCall call, int delta) {
    openStreams.addAndGet(delta);
  }

  @Override
  public void onEnd(McpCall call) {
    long nanos = System.nanoTime() - call.startNanos();
    Counter.builder("mcp.sidecar.http.requests")
        .description("HTTP exchanges on the MCP endpoint")
        .tag("http.request.method", call.httpMethod().name())
        .tag("http.response.status_code", String.valueOf(call.status()))
        .register(registry)
        .increment();
    bytesIn.increment(call.bytesIn());
    bytesOut.increment(call.bytesOut());
    if (call.rejectedWith() != null) {
      Counter.builder("mcp.sidecar.rejections")
          .description("Calls the agent answered itself, by reason")
          .tag("reason", call.rejectedWith().type())
          .register(registry)
          .increment();
    } else if (call.status() > 0) {
      Counter.builder("mcp.sidecar.upstream.responses")
          .description("Responses of the MCP server by status class")
          .tag("status_class", (call.status() / 100) + "xx")
          .register(registry)
          .increment();
    }
    int maxTargets = call.config().telemetry().metrics().maxTargets();
    List<Span> spans = CallTracing.serverSpans(call);
    int traced = 0;
    for (JsonRpcMessage message : call.messages()) {
      if (!message.isRequest()) {
        continue;
      }
      Span span = traced < spans.size() ? spans.get(traced) : Span.getInvalid();
      traced++;
      String errorType = CallTracing.errorType(call, message);
      Timer timer =
          Timer.builder("mcp.server.operation.duration")
              .description("Duration of MCP requests as seen by the agent")
              .tag("mcp.method.name", MethodNames.label(message.method()))
              .tag("gen_ai.tool.name", targets.label(message.target(), maxTargets))
              .tag("outcome", Outcome.of(call, message).label())
              .tag("error.type", errorType == null ? "" : errorType)
              .tag("error.class", ErrorClass.of(call, message).label())
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
      try (Scope ignored = span.makeCurrent()) {
        timer.record(nanos, TimeUnit.NANOSECONDS);
      }
    }
  }
}
