package io.mcpsidecar.agent.resilience;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.transport.CallKey;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Outcome;
import io.mcpsidecar.agent.transport.Rejection;
import io.mcpsidecar.agent.transport.Stage;
import io.mcpsidecar.agent.transport.UpstreamStage;
import io.mcpsidecar.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The circuit breaker around the MCP server ({@code upstream.circuitBreaker}). A guarded call (a
 * POST carrying requests) takes a permission; when the circuit is open (or half-open with its trial
 * calls out) it is refused at once with 503, -32016 {@code degraded}, {@code data.reason:
 * circuit_open} and {@code Retry-After}, or, for a list call with {@code upstream.fallback.lists},
 * answered with the last good answer marked stale. The outcome is recorded when the exchange ends,
 * so that a body that times out or breaks off counts: a failure is a 5xx from the server, no
 * connection, a connection closed before or while answering, or a timeout; a tool error, a JSON-RPC
 * error in a 200 and a 4xx are successes; a call that ended before reaching the server (refused by
 * a later stage, or left by its client before an answer) gives its permission back unrecorded. Each
 * permission is settled exactly once, in {@link #onEnd}.
 *
 * <p>A reload that changes {@code upstream.circuitBreaker} builds a new breaker, closed; calls that
 * hold a permission of the old one settle it with the old one.
 */
final class CircuitBreakerStage implements Stage {

  static final String NAME = "circuit-breaker";

  private static final CallKey<Permit> PERMIT = CallKey.of("breaker.permit", Permit.class);

  private record Permit(ServerBreaker breaker, long startNanos, String listKey) {}

  private final Clock clock;
  private final ResilienceMetrics metrics;
  private final StaleLists stale = new StaleLists();
  private final AtomicReference<ServerBreaker> current = new AtomicReference<>();

  CircuitBreakerStage(
      UpstreamConfig.CircuitBreaker initial, Clock clock, ResilienceMetrics metrics) {
    this.clock = clock;
    this.metrics = metrics;
    current.set(new ServerBreaker(initial, clock, metrics));
    metrics.bindState(current);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Outcome> handle(McpCall call, Next next) {
    UpstreamConfig upstream = call.config().upstream();
    if (!upstream.circuitBreaker().enabled() || !GuardedCalls.guarded(call)) {
      return next.proceed();
    }
    ServerBreaker breaker = breaker(upstream.circuitBreaker());
    String list = upstream.fallback().lists() ? GuardedCalls.listMethod(call) : null;
    String listKey = list == null ? null : listKey(call, list);
    if (!breaker.tryAcquire()) {
      metrics.notPermitted();
      if (listKey != null) {
        String answer = stale.answer(listKey, call.firstRequestId());
        if (answer != null) {
          metrics.stale(list);
          return Future.succeededFuture(
              Outcome.answer(200, Map.of("Content-Type", "application/json"), answer));
        }
      }
      return Future.succeededFuture(Outcome.refused(open(breaker, upstream.url())));
    }
    call.put(PERMIT, new Permit(breaker, System.nanoTime(), listKey));
    if (listKey != null) {
      call.keepAnswer();
    }
    return next.proceed();
  }

  @Override
  public void onEnd(McpCall call) {
    Permit permit = call.remove(PERMIT);
    if (permit == null) {
      return;
    }
    String failure = call.get(UpstreamStage.FAILURE);
    boolean failed =
        (failure != null && !"draining".equals(failure))
            || call.upstreamFailure() != null
            || (call.rejectedWith() == null && call.status() >= 500);
    boolean reached = failed || (call.rejectedWith() == null && call.status() > 0);
    if (!reached) {
      permit.breaker().release(); // never reached the server: says nothing about it
      return;
    }
    Long granted = call.get(BulkheadStage.GRANTED);
    long from = granted != null ? granted : permit.startNanos();
    permit.breaker().record(failed, System.nanoTime() - from);
    if (!failed && permit.listKey() != null && call.status() == 200 && call.answerText() != null) {
      stale.keep(
          permit.listKey(),
          call.answerText(),
          clock.instant(),
          call.config().upstream().fallback().maxBytes());
    }
  }

  private ServerBreaker breaker(UpstreamConfig.CircuitBreaker settings) {
    ServerBreaker now = current.get();
    while (!now.settings.equals(settings)) {
      ServerBreaker fresh = new ServerBreaker(settings, clock, metrics);
      if (current.compareAndSet(now, fresh)) {
        return fresh;
      }
      now = current.get();
    }
    return now;
  }

  private static Rejection open(ServerBreaker breaker, URI url) {
    long retryAfterMs = breaker.retryAfterMs();
    long seconds = Math.max(1, (retryAfterMs + 999) / 1000);
    return new Rejection(
        ErrorCode.DEGRADED,
        "the MCP server is failing and its circuit is open; retry after " + seconds + "s",
        Map.of(
            "reason",
            "circuit_open",
            "state",
            breaker.stateLabel(),
            "retryAfterMs",
            retryAfterMs,
            "upstream",
            url.getHost() + ":" + port(url)),
        Map.of("Retry-After", Long.toString(seconds)));
  }

  private static int port(URI url) {
    if (url.getPort() != -1) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }

  /** Tenant, method and cursor: calls that see the same list share its last good answer. */
  private static String listKey(McpCall call, String method) {
    String cursor = null;
    if (call.body() != null) {
      try {
        JsonObject params = new JsonObject(call.body()).getJsonObject("params");
        if (params != null && params.getValue("cursor") instanceof String c) {
          cursor = c;
        }
      } catch (RuntimeException e) {
        return null; // parsed once already; a body that does not read twice is not kept
      }
    }
    return StaleLists.key(call.tenantOr(""), method, cursor);
  }
}
