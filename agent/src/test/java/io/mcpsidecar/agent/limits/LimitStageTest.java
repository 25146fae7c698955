package io.mcpsidecar.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.agent.TestClock;
import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.agent.transport.CallKey;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.TestCalls;
import io.mcpsidecar.agent.transport.Verdict;
import io.mcpsidecar.config.AgentConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The stage as a call meets it, on a hand-moved clock: the header values and quota windows it
 * computes once (per plan, per window) must follow reloads and the calendar.
 */
class LimitStageTest {

  final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
  static final CallKey<Verdict> VERDICT = CallKey.of("verdict", Verdict.class);
  final AtomicReference<AgentConfig> config = new AtomicReference<>();
  LimitStage stage;

  void configure(String limits) {
    config.set(TestAgents.config("http://127.0.0.1:1/mcp", limits));
    if (stage == null) {
      stage =
          new LimitStage(
              config::get,
              new LocalBackend(clock, () -> 1000),
              new SimpleMeterRegistry(),
              new AuditSink(new SimpleMeterRegistry()),
              clock);
    }
  }

  /** One tools/call of {@code tenant} through the stage, ended; its verdict and headers. */
  McpCall call(String tenant) {
    McpCall call = TestCalls.call(config.get(), HttpMethod.POST, TestCalls.toolCall("1", "echo"));
    call.principal(TestCalls.principal(tenant));
    Future<Verdict> verdict = stage.intercept(call);
    assertThat(verdict.succeeded()).as("decided at once").isTrue();
    call.put(VERDICT, verdict.result());
    stage.onEnd(call);
    return call;
  }

  static boolean allowed(McpCall call) {
    return call.get(VERDICT) == Verdict.PROCEED;
  }

  static String policy(McpCall call) {
    Verdict verdict = call.get(VERDICT);
    if (verdict instanceof Verdict.Reject reject) {
      return reject.rejection().headers().get(RateLimitHeaders.POLICY);
    }
    return call.responseHeaders().get(RateLimitHeaders.POLICY);
  }

  /** A call of {@code tenant} with {@code n} tools/call requests, admitted or not, not ended. */
  McpCall open(String tenant, int n) {
    var messages = new io.mcpsidecar.agent.mcp.JsonRpcMessage[n];
    for (int i = 0; i < n; i++) {
      messages[i] = TestCalls.toolCall(String.valueOf(i + 1), "echo");
    }
    McpCall call = TestCalls.call(config.get(), HttpMethod.POST, messages);
    call.principal(TestCalls.principal(tenant));
    call.put(VERDICT, stage.intercept(call).result());
    return call;
  }

  @Test
  void aBatchTakesOneConcurrencyPermitPerCallOrNone() {
    configure("limits:\n  concurrency: 3\n");

    assertThat(allowed(open("acme", 4))).as("4 calls never fit in 3").isFalse();
    McpCall two = open("acme", 2);
    assertThat(allowed(two)).isTrue();
    McpCall pair = open("acme", 2);
    assertThat(allowed(pair)).as("2 more would make 4").isFalse();
    McpCall one = open("acme", 1);
    assertThat(allowed(one)).isTrue();
    assertThat(allowed(open("acme", 1))).isFalse();

    stage.onEnd(pair); // refused: it held nothing, so it frees nothing
    assertThat(allowed(open("acme", 1))).isFalse();
    stage.onEnd(two);
    assertThat(allowed(open("acme", 2))).isTrue();
    assertThat(allowed(open("other", 3))).as("another tenant's permits").isTrue();
  }

  @Test
  void theRateLimitPolicyFollowsAReload() {
    configure("limits:\n  requests: {limit: 10, interval: 1h}\n  quotas: {day: 100}\n");
    assertThat(policy(call("acme")))
        .isEqualTo("\"requests\";q=10;w=3600, \"quota_day\";q=100;w=86400");
    assertThat(policy(call("acme")))
        .isEqualTo("\"requests\";q=10;w=3600, \"quota_day\";q=100;w=86400");

    configure("limits:\n  requests: {limit: 20, interval: 1m}\n  quotas: {day: 50}\n");
    assertThat(policy(call("acme")))
        .isEqualTo("\"requests\";q=20;w=60, \"quota_day\";q=50;w=86400");

    configure("limits:\n  requests: {limit: 20, interval: 1m}\n");
    assertThat(policy(call("acme"))).isEqualTo("\"requests\";q=20;w=60");

    configure(
        "limits:\n  requests: {limit: 20, interval: 1m}\n"
            + "tenants:\n  - id: vip\n    requests: {limit: 7, interval: 1s}\n");
    assertThat(policy(call("vip"))).isEqualTo("\"requests\";q=7;w=1");
    assertThat(policy(call("acme"))).isEqualTo("\"requests\";q=20;w=60");
    assertThat(policy(call("vip"))).isEqualTo("\"requests\";q=7;w=1");
  }

  @Test
  void theDayQuotaRollsOverAtMidnightInItsZone() {
    clock.set(Instant.parse("2026-11-26T22:59:59Z")); // 23:59:59 in Paris
    configure("limits:\n  quotas: {day: 2, timeZone: Europe/Paris}\n");
    assertThat(allowed(call("acme"))).isTrue();
    assertThat(allowed(call("acme"))).isTrue();
    assertThat(allowed(call("acme"))).isFalse();

    clock.set(Instant.parse("2026-11-26T23:00:00Z")); // midnight in Paris, 23:00 in UTC
    assertThat(allowed(call("acme"))).as("a new day in Paris").isTrue();
    assertThat(allowed(call("acme"))).isTrue();
    assertThat(allowed(call("acme"))).isFalse();
  }

  @Test
  void tenantsInDifferentZonesChangeDaysAtTheirOwnMidnight() {
    clock.set(Instant.parse("2026-11-27T07:59:59Z")); // midnight in Paris passed, not in LA
    configure(
        "limits:\n  quotas: {day: 1, timeZone: Europe/Paris}\n"
            + "tenants:\n  - id: la\n    quotas: {day: 1, timeZone: America/Los_Angeles}\n");
    assertThat(allowed(call("acme"))).isTrue();
    assertThat(allowed(call("la"))).isTrue();
    assertThat(allowed(call("acme"))).isFalse();
    assertThat(allowed(call("la"))).isFalse();

    clock.set(Instant.parse("2026-11-27T08:00:00Z")); // midnight in Los Angeles
    assertThat(allowed(call("la"))).as("a new day in Los Angeles").isTrue();
    assertThat(allowed(call("acme"))).as("still the same day in Paris").isFalse();
  }

  @Test
  void theMonthQuotaRollsOverAtTheEndOfTheMonthInItsZone() {
    clock.set(Instant.parse("2026-12-31T22:59:59.999Z")); // the last millisecond of 2026 in Paris
    configure("limits:\n  quotas: {month: 1, timeZone: Europe/Paris}\n");
    assertThat(allowed(call("acme"))).isTrue();
    assertThat(allowed(call("acme"))).isFalse();

    clock.set(Instant.parse("2026-12-31T23:00:00Z"));
    assertThat(allowed(call("acme"))).as("January in Paris").isTrue();
    assertThat(allowed(call("acme"))).isFalse();
  }

  @Test
  void theQuotaWindowInThePolicyFollowsTheCalendar() {
    clock.set(Instant.parse("2026-03-28T12:00:00Z"));
    configure("limits:\n  quotas: {day: 100, month: 1000, timeZone: Europe/Paris}\n");
    assertThat(policy(call("acme")))
        .isEqualTo("\"quota_day\";q=100;w=86400, \"quota_month\";q=1000;w=2674800");

    clock.set(Instant.parse("2026-03-29T12:00:00Z")); // the day clocks go forward: 23 hours
    assertThat(policy(call("acme")))
        .isEqualTo("\"quota_day\";q=100;w=82800, \"quota_month\";q=1000;w=2674800");

    clock.set(Instant.parse("2026-04-01T12:00:00Z")); // April: 30 days
    assertThat(policy(call("acme")))
        .isEqualTo("\"quota_day\";q=100;w=86400, \"quota_month\";q=1000;w=2592000");

    clock.set(Instant.parse("2026-03-29T12:00:00Z")); // a clock set back finds March again
    assertThat(policy(call("acme")))
        .isEqualTo("\"quota_day\";q=100;w=82800, \"quota_month\";q=1000;w=2674800");
  }

  @Test
  void aRefusedCallCarriesThePolicyOfItsLimits() {
    configure("limits:\n  requests: {limit: 1, interval: 1h}\n  quotas: {day: 100}\n");
    assertThat(allowed(call("acme"))).isTrue();

    McpCall refused = call("acme");

    assertThat(allowed(refused)).isFalse();
    assertThat(policy(refused)).isEqualTo("\"requests\";q=1;w=3600, \"quota_day\";q=100;w=86400");
  }
}
