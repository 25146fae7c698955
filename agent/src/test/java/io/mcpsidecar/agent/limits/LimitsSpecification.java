package io.mcpsidecar.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.agent.TestClock;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.MessageKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every limits backend must do, run against each of them (local memory, real Redis). Time is a
 * hand-moved clock: no test sleeps for a bucket to refill or a window to end.
 */
abstract class LimitsSpecification {

  static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  protected TestClock clock;
  protected TenantLimiter limiter;
  private final AtomicLong versions = new AtomicLong(1);
  private final List<LimitBackend> backends = new ArrayList<>();

  /** A fresh backend whose state no other test sees, on {@code clock}. */
  protected abstract LimitBackend newBackend(TestClock clock);

  @BeforeEach
  void setUp() {
    clock = new TestClock(START);
    limiter = limiter(clock);
  }

  @AfterEach
  void closeBackends() {
    backends.forEach(LimitBackend::close);
  }

  protected TenantLimiter limiter(TestClock clock) {
    LimitBackend backend = newBackend(clock);
    backends.add(backend);
    return new TenantLimiter(
        backend, clock, new LimitMetrics(new SimpleMeterRegistry(), () -> 100));
  }

  /** A plan from the limits and tenants sections of a config, newer than every earlier one. */
  protected LimitPlan plan(String yaml) {
    return new LimitPlan(
        TestAgents.config("http://127.0.0.1:1/mcp", yaml), versions.incrementAndGet());
  }

  static JsonRpcMessage toolCall(String tool) {
    return new JsonRpcMessage(
        MessageKind.REQUEST, "1", "tools/call", tool, null, null, null, null, false);
  }

  protected LimitDecision decide(LimitPlan plan, String tenant, String... tools) {
    return decide(limiter, plan, tenant, tools);
  }

  protected LimitDecision decide(
      TenantLimiter with, LimitPlan plan, String tenant, String... tools) {
    List<JsonRpcMessage> calls = new ArrayList<>();
    for (String tool : tools.length == 0 ? new String[] {"echo"} : tools) {
      calls.add(toolCall(tool));
    }
    LimitPlan.Usage usage = plan.usage(calls);
    List<Demand> demands = plan.demands(plan.limitsOf(tenant), usage, clock.instant());
    try {
      return with.decide(tenant, demands, plan.version(), TIMEOUT).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  protected int allowedOf(int attempts, LimitPlan plan, String tenant, String... tools) {
    int allowed = 0;
    for (int i = 0; i < attempts; i++) {
      if (decide(plan, tenant, tools) instanceof LimitDecision.Allowed) {
        allowed++;
      }
    }
    return allowed;
  }

  static LimitDecision.Limited limited(LimitDecision decision) {
    assertThat(decision).isInstanceOf(LimitDecision.Limited.class);
    return (LimitDecision.Limited) decision;
  }

  @Test
  void allowsUpToTheLimitThenRefusesWithTheTimeToWait() {
    LimitPlan plan = plan("limits:\n  requests: {limit: 3, interval: 1m}\n");

    assertThat(allowedOf(3, plan, "acme")).isEqualTo(3);
    LimitDecision.Limited refused = limited(decide(plan, "acme"));

    assertThat(refused.refused().demand().scope()).isEqualTo(Scope.REQUESTS);
    assertThat(refused.refused().remaining()).isZero();
    assertThat(Duration.ofNanos(refused.retryAfterNanos()))
        .as("one token refills every 20s")
        .isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));
  }

  @Test
  void refillsAsTheClockMoves() {
    LimitPlan plan = plan("limits:\n  requests: {limit: 3, interval: 1m}\n");
    allowedOf(3, plan, "acme");
    assertThat(decide(plan, "acme")).isInstanceOf(LimitDecision.Limited.class);

    clock.advance(Duration.ofSeconds(20));

    assertThat(decide(plan, "acme")).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(decide(plan, "acme")).isInstanceOf(LimitDecision.Limited.class);
  }

  @Test
  void keepsTenantsApart() {
    LimitPlan plan = plan("limits:\n  requests: {limit: 2, interval: 1h}\n");
    allowedOf(2, plan, "acme");

    assertThat(decide(plan, "acme")).isInstanceOf(LimitDecision.Limited.class);
    assertThat(allowedOf(2, plan, "globex")).isEqualTo(2);
  }

  @Test
  void givesEachListedTenantItsOwnLimit() {
    LimitPlan plan =
        plan(
            "limits:\n  requests: {limit: 2, interval: 1h}\n"
                + "tenants:\n  - id: big\n    requests: {limit: 5, interval: 1h}\n");

    assertThat(allowedOf(6, plan, "big")).isEqualTo(5);
    assertThat(allowedOf(6, plan, "small")).isEqualTo(2);
  }

  @Test
  void letsABurstThroughAfterAQuietPeriod() {
    LimitPlan plan = plan("limits:\n  requests: {limit: 2, interval: 1m, burst: 5}\n");

    assertThat(allowedOf(8, plan, "acme")).isEqualTo(5);
  }

  @Test
  void sharesAToolRulesBudgetAcrossTheToolsItMatches() {
    LimitPlan plan = plan("limits:\n  tools:\n    - {match: search_*, limit: 2, interval: 1h}\n");

    assertThat(decide(plan, "acme", "search_docs")).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(decide(plan, "acme", "search_web")).isInstanceOf(LimitDecision.Allowed.class);
    LimitDecision.Limited refused = limited(decide(plan, "acme", "search_code"));

    assertThat(refused.refused().demand().scope()).isEqualTo(Scope.TOOL);
    assertThat(refused.refused().demand().name()).isEqualTo("tool:search_*");
    assertThat(decide(plan, "acme", "echo"))
        .as("tools the rule does not match")
        .isInstanceOf(LimitDecision.Allowed.class);
  }

  @Test
  void weighsCallsByToolCost() {
    LimitPlan plan =
        plan(
            "limits:\n  requests: {limit: 10, interval: 1h}\n"
                + "  costs:\n    - {match: expensive_*, cost: 10}\n");

    assertThat(decide(plan, "acme", "expensive_report")).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(decide(plan, "acme", "echo")).isInstanceOf(LimitDecision.Limited.class);
  }

  @Test
  void endsADayQuotaAtLocalMidnightInItsTimeZone() {
    clock.set(Instant.parse("2026-11-26T22:30:00Z")); // 23:30 in Paris
    LimitPlan plan = plan("limits:\n  quotas: {day: 2, timeZone: Europe/Paris}\n");
    assertThat(allowedOf(2, plan, "acme")).isEqualTo(2);

    LimitDecision.Limited refused = limited(decide(plan, "acme"));
    assertThat(refused.refused().demand().scope()).isEqualTo(Scope.QUOTA_DAY);
    assertThat(refused.refused().demand().resetAt()).isEqualTo("2026-11-26T23:00:00Z");
    assertThat(Duration.ofNanos(refused.retryAfterNanos())).isEqualTo(Duration.ofMinutes(30));

    clock.advance(Duration.ofMinutes(29));
    assertThat(decide(plan, "acme")).isInstanceOf(LimitDecision.Limited.class);
    clock.advance(Duration.ofMinutes(1));
    assertThat(allowedOf(3, plan, "acme")).as("a new day").isEqualTo(2);
  }

  @Test
  void countsAMonthQuotaAcrossDaysUntilTheMonthEnds() {
    LimitPlan plan = plan("limits:\n  quotas: {month: 3}\n");
    assertThat(allowedOf(2, plan, "acme")).isEqualTo(2);
    clock.advance(Duration.ofDays(2));
    assertThat(allowedOf(2, plan, "acme")).isEqualTo(1);

    LimitDecision.Limited refused = limited(decide(plan, "acme"));
    assertThat(refused.refused().demand().scope()).isEqualTo(Scope.QUOTA_MONTH);
    assertThat(refused.refused().demand().resetAt()).isEqualTo("2026-12-01T00:00:00Z");

    clock.set(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(decide(plan, "acme")).isInstanceOf(LimitDecision.Allowed.class);
  }

  @Test
  void givesBackWhatOtherLimitsGrantedWhenOneRefuses() {
    LimitPlan withQuota =
        plan("limits:\n  requests: {limit: 10, interval: 1h}\n  quotas: {day: 1}\n");
    assertThat(decide(withQuota, "acme")).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(limited(decide(withQuota, "acme")).refused().demand().scope())
        .isEqualTo(Scope.QUOTA_DAY);

    LimitPlan withoutQuota = plan("limits:\n  requests: {limit: 10, interval: 1h}\n");
    LimitDecision.Allowed next = (LimitDecision.Allowed) decide(withoutQuota, "acme");

    assertThat(next.states().get(0).remaining())
        .as("only two calls were let through, the refused one was given back")
        .isEqualTo(8);
  }

  @Test
  void keepsWhatWasConsumedWhenAReloadRaisesALimit() {
    LimitPlan five = plan("limits:\n  requests: {limit: 5, interval: 1h}\n");
    assertThat(allowedOf(6, five, "acme")).isEqualTo(5);

    LimitPlan eight = plan("limits:\n  requests: {limit: 8, interval: 1h}\n");

    assertThat(allowedOf(5, eight, "acme")).as("the 3 the raise added").isEqualTo(3);
  }

  @Test
  void capsWhatIsLeftWhenAReloadLowersALimit() {
    LimitPlan eight = plan("limits:\n  requests: {limit: 8, interval: 1h}\n");
    assertThat(allowedOf(2, eight, "acme")).isEqualTo(2);

    LimitPlan four = plan("limits:\n  requests: {limit: 4, interval: 1h}\n");

    assertThat(allowedOf(6, four, "acme"))
        .as("6 were left, capped at the new limit of 4")
        .isEqualTo(4);
  }

  @Test
  void keepsAQuotasCountWhenAReloadRaisesIt() {
    LimitPlan five = plan("limits:\n  quotas: {day: 5}\n");
    assertThat(allowedOf(5, five, "acme")).isEqualTo(5);

    LimitPlan seven = plan("limits:\n  quotas: {day: 7}\n");

    assertThat(allowedOf(5, seven, "acme")).isEqualTo(2);
  }

  @Test
  void reportsWhatEachLimitHasLeftForTheHeaders() {
    LimitPlan plan = plan("limits:\n  requests: {limit: 10, interval: 1m}\n  quotas: {day: 100}\n");

    LimitDecision.Allowed allowed = (LimitDecision.Allowed) decide(plan, "acme");

    assertThat(RateLimitHeaders.policy(allowed.states()))
        .isEqualTo("\"requests\";q=10;w=60, \"quota_day\";q=100;w=86400");
    assertThat(RateLimitHeaders.limit(allowed.states()))
        .isEqualTo("\"requests\";r=9;t=6, \"quota_day\";r=99;t=50400");
  }
}
