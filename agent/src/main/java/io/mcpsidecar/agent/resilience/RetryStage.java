package io.mcpsidecar.agent.resilience;

import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Outcome;
import io.mcpsidecar.agent.transport.Stage;
import io.mcpsidecar.agent.transport.UpstreamStage;
import io.mcpsidecar.config.UpstreamConfig;
import io.vertx.core.Future;
import java.util.function.LongSupplier;

/**
 * Sends an idempotent call (every message a request of a list or read method, or {@code ping}) once
 * more when no connection to the server could be had, so nothing was sent: the body is still the
 * call's own and is sent whole again. Never {@code tools/call}, never after anything reached the
 * server, never when the client has left, and only while the retry budget allows. It sits right
 * before the upstream stage, inside the call's client span: the retry is of a connection that never
 * happened, not a second call.
 */
final class RetryStage implements Stage {

  static final String NAME = "retry";

  private final RetryBudget budget;
  private final ResilienceMetrics metrics;

  RetryStage(LongSupplier millis, ResilienceMetrics metrics) {
    this.budget = new RetryBudget(millis);
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Outcome> handle(McpCall call, Next next) {
    UpstreamConfig.Retries retries = call.config().upstream().retries();
    if (!retries.enabled() || !GuardedCalls.idempotent(call)) {
      return next.proceed();
    }
    int window = windowSeconds(retries);
    budget.recordCall(window);
    return next.proceed()
        .compose(
            outcome -> {
              if (!(outcome instanceof Outcome.Refused)
                  || !UpstreamStage.UNREACHABLE.equals(call.get(UpstreamStage.FAILURE))
                  || call.clientGone()) {
                return Future.succeededFuture(outcome);
              }
              if (!budget.tryRetry(window, retries.budgetPercent(), retries.minPerSecond())) {
                metrics.budgetExhausted();
                return Future.succeededFuture(outcome);
              }
              metrics.retry(call.messages().get(0).method());
              call.remove(UpstreamStage.FAILURE);
              return next.proceed();
            });
  }

  private static int windowSeconds(UpstreamConfig.Retries retries) {
    long seconds = retries.budgetWindow().toSeconds();
    return (int) Math.max(1, Math.min(60, seconds));
  }
}
