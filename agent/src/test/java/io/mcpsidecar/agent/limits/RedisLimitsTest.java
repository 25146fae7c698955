package io.mcpsidecar.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.agent.TestClock;
import io.mcpsidecar.agent.TestRedis;
import io.mcpsidecar.config.RedisConfig;
import io.mcpsidecar.config.Secret;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits specification against a real Redis (embedded-redis), plus what only a shared backend
 * does: one limit across agents, quotas that outlive an agent, and outages.
 */
class RedisLimitsTest extends LimitsSpecification {

  static TestRedis redis;
  private String prefix;

  @BeforeAll
  static void startRedis() {
    redis = new TestRedis();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  protected LimitBackend newBackend(TestClock clock) {
    if (prefix == null) {
      prefix = "test-" + UUID.randomUUID() + ":"; // no test sees another's keys
    }
    RedisBackend backend =
        new RedisBackend(
            new RedisConfig(
                redis.url(),
                false,
                new Secret(""),
                prefix,
                Duration.ofSeconds(2),
                new io.mcpsidecar.config.RedisHealthConfig(Duration.ofSeconds(10), 10, 0.5)),
            clock);
    await().atMost(Duration.ofSeconds(10)).until(backend::connected);
    return backend;
  }

  @Test
  void twoAgentsSharingOneRedisEnforceOneLimit() {
    TenantLimiter other = limiter(clock);
    LimitPlan plan = plan("limits:\n  requests: {limit: 10, interval: 1h}\n");

    int allowed = 0;
    for (int i = 0; i < 10; i++) {
      allowed += decide(plan, "acme") instanceof LimitDecision.Allowed ? 1 : 0;
      allowed += decide(other, plan, "acme") instanceof LimitDecision.Allowed ? 1 : 0;
    }

    assertThat(allowed).isEqualTo(10);
  }

  @Test
  void aDayQuotaOutlivesTheAgentThatCountedIt() {
    LimitPlan plan = plan("limits:\n  quotas: {day: 3}\n");
    assertThat(allowedOf(2, plan, "acme")).isEqualTo(2);
    limiter.backend().close();

    TenantLimiter restarted = limiter(clock);

    assertThat(decide(restarted, plan, "acme")).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(decide(restarted, plan, "acme")).isInstanceOf(LimitDecision.Limited.class);
  }

  @Test
  void reportsAnOutageAsAValueAndResumesWhenRedisIsBack() {
    LimitPlan plan = plan("limits:\n  requests: {limit: 100, interval: 1h}\n");
    assertThat(allowedOf(3, plan, "acme")).isEqualTo(3);

    redis.stop();
    try {
      assertThat(decide(plan, "acme")).isInstanceOf(LimitDecision.Unavailable.class);
      assertThat(decide(plan, "acme"))
          .as("within the backoff, without asking Redis")
          .isInstanceOf(LimitDecision.Unavailable.class);
    } finally {
      redis.start();
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              clock.advance(RedisBackend.BACKOFF);
              return decide(plan, "acme") instanceof LimitDecision.Allowed;
            });
  }
}
