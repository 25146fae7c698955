package io.mcpsidecar.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.agent.TestClock;
import io.mcpsidecar.agent.TestRedis;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.config.RedisConfig;
import io.mcpsidecar.config.RedisHealthConfig;
import io.mcpsidecar.config.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis is judged unavailable on a window of calls, not on one slow reply: real Redis behind a TCP
 * relay that can hold Redis's replies back (a stall), on a clock that only the test moves.
 */
class RedisHealthTest {

  private static final Duration TIMEOUT = Duration.ofMillis(150);

  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final Vertx vertx = Vertx.vertx();
  private final List<Buffer> held = new ArrayList<>();
  private final List<NetSocket> clients = new ArrayList<>();
  private volatile boolean stalled;
  private TestRedis redis;
  private NetServer relay;
  private RedisBackend backend;
  private TenantLimiter limiter;
  private LimitPlan plan;

  @BeforeEach
  void start() throws Exception {
    redis = new TestRedis();
    relay =
        vertx
            .createNetServer()
            .connectHandler(this::relay)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    backend =
        new RedisBackend(
            new RedisConfig(
                "redis://127.0.0.1:" + relay.actualPort(),
                false,
                new Secret(""),
                "health-test:",
                TIMEOUT,
                new RedisHealthConfig(Duration.ofSeconds(10), 10, 0.5)),
            clock);
    await().atMost(Duration.ofSeconds(10)).until(backend::connected);
    limiter =
        new TenantLimiter(backend, clock, new LimitMetrics(new SimpleMeterRegistry(), () -> 100));
    plan =
        new LimitPlan(
            TestAgents.config(
                "http://127.0.0.1:1/mcp", "limits:\n  requests: {limit: 100000, interval: 1h}\n"),
            1);
  }

  @AfterEach
  void stop() throws Exception {
    backend.close();
    redis.close(); // ends the relay's connections from the far side
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Pipes a client to Redis; while stalled, Redis's replies are held back. */
  private void relay(NetSocket client) {
    client.pause();
    vertx
        .createNetClient()
        .connect(redis.port(), "127.0.0.1")
        .onSuccess(
            server -> {
              client.handler(server::write);
              server.handler(
                  reply -> {
                    synchronized (held) {
                      if (stalled) {
                        held.add(reply);
                        clients.add(client);
                        return;
                      }
                    }
                    client.write(reply);
                  });
              client.resume();
            });
  }

  private void stall() {
    stalled = true;
  }

  private void release() {
    synchronized (held) {
      stalled = false;
      for (int i = 0; i < held.size(); i++) {
        clients.get(i).write(held.get(i));
      }
      held.clear();
      clients.clear();
    }
  }

  private LimitDecision decide() {
    List<JsonRpcMessage> call = List.of(LimitsSpecification.toolCall("echo"));
    List<Demand> demands = plan.demands(plan.limitsOf("acme"), plan.usage(call), clock.instant());
    try {
      return limiter.decide("acme", demands, plan.version(), TIMEOUT).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void oneSlowReplyFailsOnlyItsOwnDecision() {
    assertThat(decide()).isInstanceOf(LimitDecision.Allowed.class);

    stall();
    assertThat(decide()).isInstanceOf(LimitDecision.Unavailable.class);
    release();

    assertThat(decide()).as("the clock has not moved").isInstanceOf(LimitDecision.Allowed.class);
  }

  @Test
  void aRunOfFailuresLeavesRedisAloneForASecondThenTriesAgain() {
    assertThat(decide()).isInstanceOf(LimitDecision.Allowed.class);
    stall();
    for (int i = 0; i < 9; i++) {
      assertThat(decide()).isInstanceOf(LimitDecision.Unavailable.class);
    }
    release();

    long before = System.nanoTime();
    LimitDecision skipped = decide();
    long tookMillis = (System.nanoTime() - before) / 1_000_000;

    assertThat(skipped).isInstanceOf(LimitDecision.Unavailable.class);
    assertThat(((LimitDecision.Unavailable) skipped).cause())
        .hasMessageContaining("too many of its recent calls failed");
    assertThat(tookMillis).as("answered without asking Redis").isLessThan(TIMEOUT.toMillis());

    clock.advance(Duration.ofSeconds(1));
    assertThat(decide()).isInstanceOf(LimitDecision.Allowed.class);
  }
}
