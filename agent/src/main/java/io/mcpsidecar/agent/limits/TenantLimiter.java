package io.mcpsidecar.agent.limits;

import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Decides a call's demands on its tenant's buckets as one: all are asked at once (in parallel, so a
 * remote backend costs one round trip, not one per limit), and the call passes only if every one
 * grants it. When one refuses, the tokens the others granted are given back, so a refused call
 * costs the tenant nothing. A backend failure or timeout is a value ({@link
 * LimitDecision.Unavailable}), never an exception.
 */
final class TenantLimiter {

  private final LimitBackend backend;
  private final Clock clock;
  private final LimitMetrics metrics;

  TenantLimiter(LimitBackend backend, Clock clock, LimitMetrics metrics) {
    this.backend = backend;
    this.clock = clock;
    this.metrics = metrics;
  }

  LimitBackend backend() {
    return backend;
  }

  CompletableFuture<LimitDecision> decide(
      String tenant, List<Demand> demands, long version, Duration timeout) {
    if (demands.isEmpty()) {
      return CompletableFuture.completedFuture(new LimitDecision.Allowed(List.of()));
    }
    List<CompletableFuture<ConsumptionProbe>> asked = new ArrayList<>(demands.size());
    boolean allDone = true;
    for (Demand demand : demands) {
      CompletableFuture<ConsumptionProbe> answer =
          timed(backend.tryConsume(tenant, demand, version, timeout));
      allDone &= answer.isDone();
      asked.add(answer);
    }
    if (allDone) { // local buckets, or refused at once: decided on this thread, now
      try {
        return CompletableFuture.completedFuture(combine(tenant, demands, asked, version, timeout));
      } catch (Throwable e) { // as handle would: a failed future, not an exception
        return CompletableFuture.failedFuture(new CompletionException(e));
      }
    }
    return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
        .handle((v, err) -> combine(tenant, demands, asked, version, timeout));
  }

  private LimitDecision combine(
      String tenant,
      List<Demand> demands,
      List<CompletableFuture<ConsumptionProbe>> asked,
      long version,
      Duration timeout) {
    List<LimitDecision.State> states = new ArrayList<>(demands.size());
    Throwable failure = null;
    LimitDecision.State refused = null;
    long retryAfter = 0;
    for (int i = 0; i < demands.size(); i++) {
      Demand demand = demands.get(i);
      CompletableFuture<ConsumptionProbe> f = asked.get(i);
      if (f.isCompletedExceptionally()) {
        failure = failure != null ? failure : causeOf(f);
        continue;
      }
      ConsumptionProbe probe = f.join();
      LimitDecision.State state =
          new LimitDecision.State(
              demand,
              probe.getRemainingTokens(),
              resetNanos(demand, probe.getNanosToWaitForReset()));
      states.add(state);
      if (!probe.isConsumed()) {
        long wait = waitNanos(demand, probe);
        if (refused == null || wait > retryAfter) {
          refused = state;
          retryAfter = wait;
        }
      }
    }
    if (failure != null || refused != null) {
      for (int i = 0; i < demands.size(); i++) {
        CompletableFuture<ConsumptionProbe> f = asked.get(i);
        if (!f.isCompletedExceptionally() && f.join().isConsumed()) {
          backend.refund(tenant, demands.get(i), version, timeout);
        }
      }
    }
    if (failure != null) {
      return new LimitDecision.Unavailable(failure);
    }
    return refused != null
        ? new LimitDecision.Limited(refused, retryAfter, states)
        : new LimitDecision.Allowed(states);
  }

  /** A quota refills when its window ends, whatever the bucket would say. */
  private long waitNanos(Demand demand, ConsumptionProbe probe) {
    if (demand.resetAt() != null) {
      return Math.max(0, Duration.between(clock.instant(), demand.resetAt()).toNanos());
    }
    return probe.getNanosToWaitForRefill();
  }

  private long resetNanos(Demand demand, long bucketReset) {
    if (demand.resetAt() != null) {
      return Math.max(0, Duration.between(clock.instant(), demand.resetAt()).toNanos());
    }
    return bucketReset;
  }

  private static Throwable causeOf(CompletableFuture<?> failed) {
    Throwable err = failed.handle((v, e) -> e).join();
    return err instanceof CompletionException c && c.getCause() != null ? c.getCause() : err;
  }

  private CompletableFuture<ConsumptionProbe> timed(CompletableFuture<ConsumptionProbe> call) {
    if (call.isDone()) {
      if (call.isCompletedExceptionally()) {
        metrics.backendError(backend.name()); // refused at once: disconnected, or backing off
      }
      return call; // local, or refused at once: nothing worth timing
    }
    long start = System.nanoTime();
    return call.whenComplete(
        (p, err) -> {
          metrics.backendCall(backend.name(), System.nanoTime() - start);
          if (err != null) {
            metrics.backendError(backend.name());
          }
        });
  }
}
