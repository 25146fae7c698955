package io.mcpsidecar.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.agent.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A flood of distinct tenant ids must not grow the agent's memory or its metric series. */
class TenantFloodTest {

  static final int FLOOD = 100_000;
  static final int TRACKED = 1_000;

  final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
  final LocalBackend backend = new LocalBackend(clock, () -> TRACKED);
  final LimitPlan plan =
      new LimitPlan(
          TestAgents.config(
              "http://127.0.0.1:1/mcp",
              "limits:\n  requests: {limit: 5, interval: 1m}\n  quotas: {day: 1000}\n"
                  + "tenants:\n  - id: vip\n    requests: {limit: 100, interval: 1m}\n"),
          1);

  void call(String tenant) {
    LimitPlan.Usage usage = plan.usage(List.of(LimitsSpecification.toolCall("echo")));
    for (Demand demand : plan.demands(plan.limitsOf(tenant), usage, clock.instant())) {
      backend.tryConsume(tenant, demand, plan.version(), Duration.ZERO).join();
    }
  }

  @Test
  void aHundredThousandTenantIdsKeepTheTableBounded() {
    backend.pin(plan.configuredTenants());
    for (int i = 0; i < FLOOD; i++) {
      call("tenant-" + i);
      if (i % 10_000 == 0) {
        clock.advance(Duration.ofSeconds(2)); // time passes during a flood, sweeps may run
      }
    }

    assertThat(backend.trackedTenants()).isLessThanOrEqualTo(TRACKED + 1);
    call("vip");
    assertThat(backend.trackedTenants())
        .as("a configured tenant always gets buckets of its own")
        .isLessThanOrEqualTo(TRACKED + 2);
  }

  @Test
  void forgetsIdleTenantsWhoseBucketsHaveRefilledToMakeRoom() {
    LocalBackend rates = new LocalBackend(clock, () -> TRACKED);
    LimitPlan ratesOnly =
        new LimitPlan(
            TestAgents.config(
                "http://127.0.0.1:1/mcp", "limits:\n  requests: {limit: 5, interval: 1m}\n"),
            1);
    LimitPlan.Usage usage = ratesOnly.usage(List.of(LimitsSpecification.toolCall("echo")));
    for (int i = 0; i < TRACKED; i++) {
      for (Demand d : ratesOnly.demands(ratesOnly.limitsOf("t" + i), usage, clock.instant())) {
        rates.tryConsume("t" + i, d, 1, Duration.ZERO).join();
      }
    }
    clock.advance(Duration.ofMinutes(1)); // every bucket is full again: nothing to remember

    for (Demand d : ratesOnly.demands(ratesOnly.limitsOf("newcomer"), usage, clock.instant())) {
      rates.tryConsume("newcomer", d, 1, Duration.ZERO).join();
    }

    assertThat(rates.trackedTenants()).isEqualTo(1);
  }

  @Test
  void capsTheTenantLabelOfMetrics() {
    LimitMetrics metrics = new LimitMetrics(new SimpleMeterRegistry(), () -> 100);
    Set<String> labels = new java.util.HashSet<>();
    for (int i = 0; i < FLOOD; i++) {
      labels.add(metrics.tenantLabel("tenant-" + i));
    }

    assertThat(labels).hasSize(101).contains(LimitMetrics.OTHER);
    assertThat(metrics.tenantLabel("tenant-7")).isEqualTo("tenant-7");
  }

  @Test
  void concurrencyEntriesLiveOnlyWhileCallsAreInFlight() {
    ConcurrencyLimits concurrency = new ConcurrencyLimits();
    for (int i = 0; i < FLOOD; i++) {
      assertThat(concurrency.tryAcquire("tenant-" + i, 1)).isTrue();
      concurrency.release("tenant-" + i);
    }
    assertThat(concurrency.tryAcquire("a", 2)).isTrue();
    assertThat(concurrency.tryAcquire("a", 2)).isTrue();
    assertThat(concurrency.tryAcquire("a", 2)).isFalse();
    concurrency.release("a");
    concurrency.release("a");
    assertThat(concurrency.inFlight("a")).isZero();
  }
}
