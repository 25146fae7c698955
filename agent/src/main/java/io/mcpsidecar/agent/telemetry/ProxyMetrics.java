package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.CallListener;
import io.mcpsidecar.agent.transport.McpCall;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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
 * rejections; upstream status codes; bytes; open streams. Labels a client controls come from closed
 * sets ({@link MethodNames}) or are bounded in size and number ({@link LabelGuard}); the request's
 * span is current while its duration is recorded, so the histogram carries its trace id as an
 * exemplar. Each meter is registered once per label combination and then reused ({@link
 * MeterCache}).
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
   * Label combinations kept per metric. The labels are bounded where they are computed; this only
   * bounds the memory of the cache: past it, meters are looked up in the registry per call.
   */
  static final int MAX_CACHED_METERS = 4096;

  private record RequestKey(String method, int status) {}

  private record OperationKey(
      String method,
      String target,
      String outcome,
      String errorType,
      String errorClass,
      String tenant) {}

  private final MeterRegistry registry;
  private final AtomicInteger openStreams = new AtomicInteger();
  private final LabelGuard targets = new LabelGuard();
  private final TenantLabels tenants = new TenantLabels();
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
    Gauge.builder("mcp.sidecar.sse.streams", openStreams, AtomicInteger::get)
        .description("Server-sent event streams being relayed now")
        .register(registry);
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
    requests
        .get(new RequestKey(MethodNames.httpLabel(call.httpMethod().name()), call.status()))
        .increment();
    bytesIn.increment(call.bytesIn());
    bytesOut.increment(call.bytesOut());
    if (call.rejectedWith() != null) {
      rejections.get(call.rejectedWith().type()).increment();
    } else if (call.status() > 0) {
      upstreamResponses.get(call.status() / 100).increment();
    }
    int maxTargets = call.config().telemetry().metrics().maxTargets();
    String tenant =
        call.principal() == null
            ? ""
            : tenants.label(
                call.principal().tenant(),
                call.config().telemetry().metrics().maxTenants(),
                call.config());
    List<Span> spans = CallTracing.serverSpans(call);
    int traced = 0;
    for (JsonRpcMessage message : call.messages()) {
      if (!message.isRequest()) {
        continue;
      }
      Span span = traced < spans.size() ? spans.get(traced) : Span.getInvalid();
      traced++;
      String errorType = CallTracing.errorType(call, message);
      Outcome outcome = Outcome.of(call, message);
      // A name takes a place of its own only once the server has answered a call naming it.
      boolean answered = outcome == Outcome.OK || outcome == Outcome.TOOL_ERROR;
      Timer timer =
          durations.get(
              new OperationKey(
                  MethodNames.label(message.method()),
                  targets.label(message.target(), maxTargets, call.config(), answered),
                  outcome.label(),
                  errorTypeLabel(errorType),
                  ErrorClass.of(call, message).label(),
                  tenant));
      try (Scope ignored = span.makeCurrent()) {
        timer.record(nanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /**
   * The error type as a label: the agent's own codes, JSON-RPC's reserved range (-32768 to -32000)
   * and HTTP statuses as they are; any other code a server invents is {@link LabelGuard#OTHER}.
   */
  static String errorTypeLabel(String errorType) {
    if (errorType == null) {
      return "";
    }
    if (errorType.isEmpty() || !Character.isDigit(errorType.charAt(errorType.length() - 1))) {
      return errorType; // tool_error, upstream_error
    }
    try {
      int code = Integer.parseInt(errorType);
      boolean reserved = code >= -32768 && code <= -32000;
      boolean httpStatus = code >= 100 && code <= 599;
      return reserved || httpStatus ? errorType : LabelGuard.OTHER;
    } catch (NumberFormatException e) {
      return LabelGuard.OTHER;
    }
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
        .tag("tenant", key.tenant())
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
