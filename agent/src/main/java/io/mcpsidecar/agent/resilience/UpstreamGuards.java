package io.mcpsidecar.agent.resilience;

import io.mcpsidecar.agent.transport.Stage;
import io.mcpsidecar.config.UpstreamConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * The resilience stages, built together because they share their metrics: the circuit breaker (with
 * the stale list fallback) and the bulkhead go after limits, in that order, so that an open circuit
 * refuses at once without taking a place in the queue; the retry stage goes right before the
 * upstream call (docs/resilience.md).
 */
public final class UpstreamGuards {

  private final CircuitBreakerStage breaker;
  private final BulkheadStage bulkhead;
  private final RetryStage retry;

  public UpstreamGuards(UpstreamConfig initial, MeterRegistry registry, Clock clock) {
    ResilienceMetrics metrics = new ResilienceMetrics(registry);
    this.breaker = new CircuitBreakerStage(initial.circuitBreaker(), clock, metrics);
    this.bulkhead = new BulkheadStage(metrics);
    this.retry = new RetryStage(clock::millis, metrics);
  }

  /** The circuit breaker around the server, and the stale list answers while it is open. */
  public Stage breaker() {
    return breaker;
  }

  /** The bound on calls in flight to the server, and its queue. */
  public Stage bulkhead() {
    return bulkhead;
  }

  /** One more try of idempotent calls that could not connect, within the retry budget. */
  public Stage retry() {
    return retry;
  }
}
