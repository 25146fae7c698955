package io.mcpsidecar.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Decisions and remaining quota land in the series of their own tenant, scope and outcome. */
class LimitMetricsTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final LimitMetrics metrics = new LimitMetrics(registry, () -> 100);

  double decisions(String tenant, String scope, String outcome) {
    return registry
        .get("mcp.sidecar.limit.decisions")
        .tags("tenant", tenant, "scope", scope, "outcome", outcome)
        .counter()
        .count();
  }

  double remaining(String tenant, String scope) {
    return registry
        .get("mcp.sidecar.quota.remaining")
        .tags("tenant", tenant, "scope", scope)
        .gauge()
        .value();
  }

  @Test
  void countsEachTenantScopeAndOutcomeApart() {
    for (int i = 0; i < 3; i++) {
      metrics.decision("acme", "requests", "allowed");
    }
    metrics.decision("acme", "requests", "limited");
    metrics.decision("acme", "quota_day", "allowed");
    metrics.decision("globex", "requests", "allowed");
    metrics.decision("globex", "requests", "allowed");

    assertThat(decisions("acme", "requests", "allowed")).isEqualTo(3);
    assertThat(decisions("acme", "requests", "limited")).isEqualTo(1);
    assertThat(decisions("acme", "quota_day", "allowed")).isEqualTo(1);
    assertThat(decisions("globex", "requests", "allowed")).isEqualTo(2);
    assertThat(registry.get("mcp.sidecar.limit.decisions").counters()).hasSize(4);
  }

  @Test
  void keepsTheLastRemainingQuotaOfEachTenantAndScope() {
    metrics.quotaRemaining("acme", "quota_day", 10);
    metrics.quotaRemaining("acme", "quota_month", 500);
    metrics.quotaRemaining("globex", "quota_day", 7);
    metrics.quotaRemaining("acme", "quota_day", 9);

    assertThat(remaining("acme", "quota_day")).isEqualTo(9);
    assertThat(remaining("acme", "quota_month")).isEqualTo(500);
    assertThat(remaining("globex", "quota_day")).isEqualTo(7);
    assertThat(registry.get("mcp.sidecar.quota.remaining").gauges()).hasSize(3);
  }
}
