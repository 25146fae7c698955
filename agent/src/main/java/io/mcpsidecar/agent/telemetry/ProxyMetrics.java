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
 * histogram carries its trace id as an exemplar. Each meter is registered once per label
 * combination and then reused ({@link MeterCache}).
 */
public final class ProxyMetrics implements CallListener {

  /** The OpenTelemetry MCP semantic-convention buckets, plus 0.4 s (the p95 SLO edge). */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
    Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)
  };

  /**
   * Label combinations kept per metric. The labels are capped where they are computed; this only
   * bounds the memory of the cache should a client vary the uncapped ones (the HTTP method, an
   * upstream's status code or error code): past it, meters are looked up in the registry per call.
   */
  static final int MAX_CACHED_METERS = 4096;

  private record RequestKey(String method, int status) {}

  private record OperationKey(
      String method, String target, String outcome, String errorType, String errorClass) {}

  private final MeterRegistry registry;
  private final AtomicInteger openStreams = new AtomicInteger();
  private final LabelGuard targets = new LabelGuard();
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final MeterCache<RequestKey, Counter> requests =
      new MeterCache<>(MAX_CACHED_METERS, this::requestCounter);
  private final MeterCache<String, Counter> rejections =
      new MeterCache<>(MAX_CACHED_METERS, this::rejectionCounter);
  private final MeterCache<Integer, Counter> upstreamResponses =
      new MeterCache<>(MAX_CACHED_METERS, this::upstreamResponseCounter);
  private final MeterCache<OperationKey, Timer> durations =
      new MeterCache<>(MAX_CACHED_METERS, this::operationTimer);

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
    requests.get(new RequestKey(methodLabel(call.httpMethod()), call.status())).increment();
    bytesIn.increment(call.bytesIn());
    bytesOut.increment(call.bytesOut());
    if (call.rejectedWith() != null) {
      rejections.get(call.rejectedWith().type()).increment();
    } else if (call.status() > 0) {
      upstreamResponses.get(call.status() / 100).increment();
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
          durations.get(
              new OperationKey(
                  MethodNames.label(message.method()),
                  targets.label(message.target(), maxTargets),
                  Outcome.of(call, message).label(),
                  errorType == null ? "" : errorType,
                  ErrorClass.of(call, message).label()));
      try (Scope ignored = span.makeCurrent()) {
        timer.record(nanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /**
   * The method as a label: the methods the endpoint serves (and CORS preflights) by name, any other
   * token a client sends as {@code _OTHER} (OpenTelemetry's convention), so that refused methods
   * cannot mint series.
   */
  static String methodLabel(io.vertx.core.http.HttpMethod method) {
    return switch (method.name()) {
      case "GET", "POST", "DELETE", "OPTIONS" -> method.name();
      default -> "_OTHER";
    };
  }

  /** Label combinations whose meters are kept for reuse, over all of this class's metrics. */
  int cachedMeters() {
    return requests.size() + rejections.size() + upstreamResponses.size() + durations.size();
  }

  private Counter requestCounter(RequestKey key) {
    return Counter.builder("mcp.sidecar.http.requests")
        .description("HTTP exchanges on the MCP endpoint")
        .tag("http.request.method", key.method())
        .tag("http.response.status_code", String.valueOf(key.status()))
        .register(registry);
  }

  private Counter rejectionCounter(String reason) {
    return Counter.builder("mcp.sidecar.rejections")
        .description("Calls the agent answered itself, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  private Counter upstreamResponseCounter(int statusClass) {
    return Counter.builder("mcp.sidecar.upstream.responses")
        .description("Responses of the MCP server by status class")
        .tag("status_class", statusClass + "xx")
        .register(registry);
  }

  private Timer operationTimer(OperationKey key) {
    return Timer.builder("mcp.server.operation.duration")
        .description("Duration of MCP requests as seen by the agent")
        .tag("mcp.method.name", key.method())
        .tag("gen_ai.tool.name", key.target())
        .tag("outcome", key.outcome())
        .tag("error.type", key.errorType())
        .tag("error.class", key.errorClass())
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
