package io.mcpsidecar.agent.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.mcpsidecar.config.UpstreamConfig;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Resilience4j breaker built from one version of {@code upstream.circuitBreaker}: a count-based
 * window of the latest calls, opened by the failure or the slow-call rate once enough calls were
 * recorded, half-open after {@code openFor} on the next call that asks. It also knows until when it
 * stays open, for {@code Retry-After}.
 */
final class ServerBreaker {

  final UpstreamConfig.CircuitBreaker settings;
  final CircuitBreaker breaker;
  private final Clock clock;
  private final AtomicLong openUntilMillis = new AtomicLong();

  ServerBreaker(UpstreamConfig.CircuitBreaker settings, Clock clock, ResilienceMetrics metrics) {
    this.settings = settings;
    this.clock = clock;
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.window())
            .minimumNumberOfCalls(Math.min(settings.minimumCalls(), settings.window()))
            .failureRateThreshold(settings.failureRate())
            .slowCallRateThreshold(settings.slowCall().rate())
            .slowCallDurationThreshold(settings.slowCall().duration())
            .waitDurationInOpenState(settings.openFor())
            .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
            .clock(clock)
            .build();
    this.breaker = CircuitBreaker.of("upstream", config);
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              CircuitBreaker.State to = event.getStateTransition().getToState();
              if (to == CircuitBreaker.State.OPEN) {
                openUntilMillis.set(clock.millis() + settings.openFor().toMillis());
              }
              metrics.transition(label(to));
            });
  }

  boolean tryAcquire() {
    return breaker.tryAcquirePermission();
  }

  /** The call ended without an outcome that says anything about the server. */
  void release() {
    breaker.releasePermission();
  }

  void record(boolean failed, long nanos) {
    if (failed) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, ServerFailure.INSTANCE);
    } else {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** 0 closed, 1 open, 2 half-open (other states of Resilience4j are not used). */
  int stateCode() {
    return switch (breaker.getState()) {
      case OPEN, FORCED_OPEN -> 1;
      case HALF_OPEN -> 2;
      default -> 0;
    };
  }

  String stateLabel() {
    return label(breaker.getState());
  }

  /**
   * How long until trial calls are let through: the rest of openFor, or a second when half-open.
   */
  long retryAfterMs() {
    long left = openUntilMillis.get() - clock.millis();
    return Math.max(1000, left);
  }

  private static String label(CircuitBreaker.State state) {
    return switch (state) {
      case OPEN, FORCED_OPEN -> "open";
      case HALF_OPEN -> "half_open";
      default -> "closed";
    };
  }

  /** What a failed call is recorded with (Resilience4j counts throwables). */
  static final class ServerFailure extends RuntimeException {
    static final ServerFailure INSTANCE = new ServerFailure();

    private ServerFailure() {
      super("the MCP server failed the call", null, false, false);
    }
  }
}
