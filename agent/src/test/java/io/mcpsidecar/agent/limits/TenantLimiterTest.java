package io.mcpsidecar.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.ConsumptionProbe;
import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.agent.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Decisions whose answers are all there at once are made at once, with the same outcomes. */
class TenantLimiterTest {

  final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
  final LimitPlan plan =
      new LimitPlan(
          TestAgents.config(
              "http://127.0.0.1:1/mcp",
              "limits:\n  requests: {limit: 5, interval: 1m}\n  quotas: {day: 1}\n"),
          1);

  List<Demand> demands() {
    LimitPlan.Usage usage = plan.usage(List.of(LimitsSpecification.toolCall("echo")));
    return plan.demands(plan.limitsOf("acme"), usage, clock.instant());
  }

  TenantLimiter limiter(LimitBackend backend) {
    return new TenantLimiter(
        backend, clock, new LimitMetrics(new SimpleMeterRegistry(), () -> 100));
  }

  @Test
  void aLocalDecisionIsCompleteWhenItIsReturned() {
    TenantLimiter limiter = limiter(new LocalBackend(clock, () -> 100));

    CompletableFuture<LimitDecision> first = limiter.decide("acme", demands(), 1, Duration.ZERO);
    CompletableFuture<LimitDecision> second = limiter.decide("acme", demands(), 1, Duration.ZERO);

    assertThat(first).isDone();
    assertThat(first.join()).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(second).isDone();
    assertThat(((LimitDecision.Limited) second.join()).refused().demand().scope())
        .isEqualTo(Scope.QUOTA_DAY);
  }

  @Test
  void aFailureWhileCombiningAnswersIsAFailedFutureNotAnException() throws Exception {
    LimitBackend failingRefunds =
        new LimitBackend() {
          @Override
          public String name() {
            return "test";
          }

          @Override
          public CompletableFuture<ConsumptionProbe> tryConsume(
              String tenant, Demand demand, long version, Duration timeout) {
            return CompletableFuture.completedFuture(
                demand.scope() == Scope.QUOTA_DAY
                    ? ConsumptionProbe.rejected(0, 1_000, 1_000)
                    : ConsumptionProbe.consumed(4, 0));
          }

          @Override
          public void refund(String tenant, Demand demand, long version, Duration timeout) {
            throw new IllegalStateException("refund failed");
          }
        };

    CompletableFuture<LimitDecision> decided =
        limiter(failingRefunds).decide("acme", demands(), 1, Duration.ZERO);

    assertThat(decided).isCompletedExceptionally();
    try {
      decided.get();
    } catch (ExecutionException e) {
      assertThat(e.getCause())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("refund failed");
    }
  }
}
