package io.mcpsidecar.agent.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.agent.TestClock;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Outcome;
import io.mcpsidecar.agent.transport.TestCalls;
import io.mcpsidecar.agent.transport.UpstreamStage;
import io.mcpsidecar.config.AgentConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The breaker stage alone, on an injected clock: no server, no sleeping. */
class CircuitBreakerStageTest {

  private static final String BREAKER =
      "  circuitBreaker: {enabled: true, window: 4, minimumCalls: 4, failureRate: 50,"
          + " openFor: 30s, halfOpenCalls: 2}\n";

  private final TestClock clock = new TestClock(Instant.parse("2026-12-04T12:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AgentConfig config = TestAgents.config("http://127.0.0.1:1/mcp", BREAKER);
  private final CircuitBreakerStage stage =
      new CircuitBreakerStage(
          config.upstream().circuitBreaker(), clock, new ResilienceMetrics(registry));
  private final AtomicInteger forwarded = new AtomicInteger();

  private McpCall call(AgentConfig config) {
    return TestCalls.call(config, HttpMethod.POST, TestCalls.toolCall("1", "echo"));
  }

  /** Runs a call through the stage; the server "answers" with {@code failure} (null: a 200). */
  private Outcome run(AgentConfig config, String failure) {
    McpCall call = call(config);
    Future<Outcome> out =
        stage.handle(
            call,
            () -> {
              forwarded.incrementAndGet();
              if (failure != null) {
                call.put(UpstreamStage.FAILURE, failure);
                TestCalls.rejected(call, ErrorCode.UPSTREAM_UNAVAILABLE);
              } else {
                TestCalls.answered(call, 200);
              }
              return Future.succeededFuture(Outcome.answer(200, java.util.Map.of(), "{}"));
            });
    stage.onEnd(call);
    stage.onEnd(call); // a second end hook settles nothing twice
    return out.result();
  }

  private double state() {
    return registry.get("mcp.sidecar.upstream.circuit.state").gauge().value();
  }

  @Test
  void opensAfterTheFailureRateAndRefusesWithTheTimeLeftUntilTrialCalls() {
    run(config, null);
    run(config, "unreachable");
    run(config, "timeout");
    run(config, null);
    assertThat(state()).isEqualTo(1.0);

    clock.advance(Duration.ofSeconds(10));
    Outcome refused = run(config, null);

    assertThat(forwarded).hasValue(4);
    assertThat(refused).isInstanceOf(Outcome.Refused.class);
    var rejection = ((Outcome.Refused) refused).rejection();
    assertThat(rejection.code()).isEqualTo(ErrorCode.DEGRADED);
    assertThat(rejection.data())
        .containsEntry("reason", "circuit_open")
        .containsEntry("state", "open")
        .containsEntry("retryAfterMs", 20_000L);
    assertThat(rejection.headers()).containsEntry("Retry-After", "20");
  }

  @Test
  void halfOpenLetsItsTrialCallsThroughAndClosesWhenTheySucceed() {
    for (int i = 0; i < 4; i++) {
      run(config, "closed");
    }
    clock.advance(Duration.ofSeconds(30).plusMillis(1));

    run(config, null);
    assertThat(state()).isEqualTo(2.0);
    run(config, null);

    assertThat(state()).isEqualTo(0.0);
    assertThat(forwarded).hasValue(6);
  }

  @Test
  void aTrialCallThatNeverReachedTheServerGivesItsPermissionBack() {
    for (int i = 0; i < 4; i++) {
      run(config, "closed");
    }
    clock.advance(Duration.ofSeconds(30).plusMillis(1));
    // Two trial calls refused after the breaker (by the bulkhead, say): nothing recorded.
    for (int i = 0; i < 2; i++) {
      McpCall call = call(config);
      stage.handle(call, () -> Future.succeededFuture(Outcome.answer(503, java.util.Map.of(), "")));
      TestCalls.rejected(call, ErrorCode.OVERLOADED);
      stage.onEnd(call);
    }

    assertThat(run(config, null))
        .as("the permissions came back")
        .isInstanceOf(Outcome.Answered.class);
  }

  @Test
  void drainingIsNotAFailureOfTheServer() {
    for (int i = 0; i < 8; i++) {
      run(config, "draining");
    }

    assertThat(state()).isEqualTo(0.0);
  }

  @Test
  void aReloadThatChangesTheSettingsStartsANewBreakerClosed() {
    for (int i = 0; i < 4; i++) {
      run(config, "timeout");
    }
    assertThat(run(config, null)).isInstanceOf(Outcome.Refused.class);

    AgentConfig reloaded =
        TestAgents.config("http://127.0.0.1:1/mcp", BREAKER.replace("openFor: 30s", "openFor: 5s"));

    assertThat(run(reloaded, null)).isInstanceOf(Outcome.Answered.class);
    assertThat(state()).isEqualTo(0.0);
  }

  @Test
  void callsWithoutRequestsAndADisabledBreakerPassUntouched() {
    for (int i = 0; i < 4; i++) {
      run(config, "timeout");
    }
    McpCall notification =
        TestCalls.call(
            config,
            HttpMethod.POST,
            new io.mcpsidecar.agent.mcp.JsonRpcMessage(
                io.mcpsidecar.agent.mcp.MessageKind.NOTIFICATION,
                null,
                "notifications/cancelled",
                null,
                null,
                null,
                null,
                null,
                false));
    AgentConfig off = TestAgents.config("http://127.0.0.1:1/mcp", "");

    assertThat(
            stage
                .handle(
                    notification,
                    () -> Future.succeededFuture(Outcome.answer(202, java.util.Map.of(), "")))
                .result())
        .isInstanceOf(Outcome.Answered.class);
    assertThat(run(off, null)).isInstanceOf(Outcome.Answered.class);
  }
}
