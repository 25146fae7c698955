package io.mcpsidecar.agent.resilience;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.transport.CallKey;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Outcome;
import io.mcpsidecar.agent.transport.Rejection;
import io.mcpsidecar.agent.transport.Stage;
import io.mcpsidecar.config.UpstreamConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * The bulkhead in front of the MCP server ({@code upstream.bulkhead}): at most {@code maxInFlight}
 * guarded calls (POSTs carrying requests) from their place to the end of their answer, streams
 * included; then up to {@code queue} calls wait, first in first out, for at most {@code
 * queueTimeout}. A call past that is shed with 503, -32019 {@code overloaded}, {@code data.reason:
 * bulkhead} and {@code Retry-After: 1}: the agent refuses new work rather than let every call in
 * flight slow down. A queued call whose client leaves gives up its place in the queue at once. The
 * bounds apply live: each call reads them from its config.
 */
final class BulkheadStage implements Stage {

  static final String NAME = "bulkhead";

  /** When the call got its place ({@link System#nanoTime}); the breaker times calls from there. */
  static final CallKey<Long> GRANTED = CallKey.of("bulkhead.granted", Long.class);

  private static final CallKey<Boolean> HELD = CallKey.of("bulkhead.held", Boolean.class);

  private final Bulkhead bulkhead = new Bulkhead();
  private final ResilienceMetrics metrics;

  BulkheadStage(ResilienceMetrics metrics) {
    this.metrics = metrics;
    metrics.bindBulkhead(bulkhead);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Outcome> handle(McpCall call, Next next) {
    UpstreamConfig.Bulkhead bounds = call.config().upstream().bulkhead();
    if (bounds.maxInFlight() == 0 || !GuardedCalls.guarded(call)) {
      return next.proceed();
    }
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("the bulkhead runs on an event loop");
    }
    Bulkhead.Waiter waiter =
        bulkhead.acquire(
            context, bounds.maxInFlight(), bounds.queue(), bounds.queueTimeout().toMillis());
    if (!waiter.future().isComplete()) {
      call.whenClientGone(() -> waiter.leave(new ClientLeft()));
    }
    return waiter
        .future()
        .transform(
            granted -> {
              if (granted.failed()) {
                if (granted.cause() instanceof Bulkhead.ShedException shed) {
                  metrics.shed(shed.reason);
                  return Future.succeededFuture(Outcome.refused(shed(bounds, shed.reason)));
                }
                // The client left: nothing is written; the call ends as cancelled.
                return Future.succeededFuture(
                    Outcome.refused(shed(bounds, Bulkhead.Shed.QUEUE_TIMEOUT)));
              }
              call.put(HELD, Boolean.TRUE);
              call.put(GRANTED, System.nanoTime());
              return next.proceed();
            });
  }

  @Override
  public void onEnd(McpCall call) {
    if (call.remove(HELD) != null) {
      bulkhead.release(Math.max(1, call.config().upstream().bulkhead().maxInFlight()));
    }
  }

  Bulkhead bulkhead() {
    return bulkhead;
  }

  private static Rejection shed(UpstreamConfig.Bulkhead bounds, Bulkhead.Shed reason) {
    return new Rejection(
        ErrorCode.OVERLOADED,
        reason == Bulkhead.Shed.QUEUE_FULL
            ? "the MCP server has all the calls it may have and the queue is full; retry"
            : "no place for the call within upstream.bulkhead.queueTimeout; retry",
        Map.of(
            "reason",
            "bulkhead",
            "shed",
            reason.label,
            "retryAfterMs",
            1000,
            "maxInFlight",
            bounds.maxInFlight(),
            "queue",
            bounds.queue()),
        Map.of("Retry-After", "1"));
  }

  /** The client left while its call waited in the queue. */
  private static final class ClientLeft extends RuntimeException {
    ClientLeft() {
      super("the client left while queued", null, false, false);
    }
  }
}
