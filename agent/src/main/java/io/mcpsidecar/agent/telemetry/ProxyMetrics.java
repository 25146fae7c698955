package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.CallListener;
import io.mcpsidecar.agent.transport.McpCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Request counts and durations by MCP method and outcome, edge rejections by reason, and open
 * streams. Method labels come only from a fixed set of MCP method names (others count as {@code
 * other}), so a hostile client cannot create series at will.
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

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("mcp.sidecar.sse.streams", openStreams);
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
    if (call.rejectedWith() != null) {
      Counter.builder("mcp.sidecar.rejections")
          .description("Calls the agent answered itself, by reason")
          .tag("reason", call.rejectedWith().type())
          .register(registry)
          .increment();
    }
    for (JsonRpcMessage message : call.messages()) {
      if (!message.isRequest()) {
        continue;
      }
      Timer.builder("mcp.server.operation.duration")
          .description("Duration of MCP requests as seen by the agent")
          .tag("mcp.method.name", MethodNames.label(message.method()))
          .tag("outcome", Outcome.of(call, message).label())
          .serviceLevelObjectives(BUCKETS)
          .register(registry)
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
