package io.mcpsidecar.agent.resilience;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The resilience stages' metrics (docs/metrics.md). Every label takes values from a closed set
 * (breaker states, shed reasons, the idempotent and list methods), so the series are fixed.
 */
final class ResilienceMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> transitions = new ConcurrentHashMap<>();
  private final Map<String, Counter> shed = new ConcurrentHashMap<>();
  private final Map<String, Counter> retries = new ConcurrentHashMap<>();
  private final Map<String, Counter> stale = new ConcurrentHashMap<>();
  private final Counter notPermitted;
  private final Counter budgetExhausted;

  ResilienceMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.notPermitted =
        Counter.builder("mcp.sidecar.upstream.circuit.not.permitted")
            .description(
                "Calls refused at once because the circuit was open (or half-open and full)")
            .register(registry);
    this.budgetExhausted =
        Counter.builder("mcp.sidecar.upstream.retry.budget.exhausted")
            .description("Retries not made because the retry budget was spent")
            .register(registry);
    for (String to : new String[] {"closed", "open", "half_open"}) {
      transition(to, 0);
    }
    for (Bulkhead.Shed reason : Bulkhead.Shed.values()) {
      shedCounter(reason.label);
    }
  }

  /**
   * The breaker's state: 0 closed, 1 open, 2 half-open. The gauge holds its object weakly: {@code
   * current} must be a field of a long-lived part (the stage), not a lambda.
   */
  void bindState(AtomicReference<ServerBreaker> current) {
    Gauge.builder("mcp.sidecar.upstream.circuit.state", current, c -> c.get().stateCode())
        .description(
            "State of the circuit breaker around the MCP server: 0 closed, 1 open, 2 half-open")
        .register(registry);
  }

  void bindBulkhead(Bulkhead bulkhead) {
    Gauge.builder("mcp.sidecar.upstream.bulkhead.in.flight", bulkhead, Bulkhead::inFlight)
        .description("Calls holding a place in the bulkhead in front of the MCP server")
        .register(registry);
    Gauge.builder("mcp.sidecar.upstream.bulkhead.queued", bulkhead, Bulkhead::queued)
        .description("Calls waiting in the bulkhead's queue for a place")
        .register(registry);
  }

  void transition(String to) {
    transition(to, 1);
  }

  private void transition(String to, int by) {
    transitions
        .computeIfAbsent(
            to,
            t ->
                Counter.builder("mcp.sidecar.upstream.circuit.transitions")
                    .description("Transitions of the circuit breaker, by the state entered")
                    .tag("to", t)
                    .register(registry))
        .increment(by);
  }

  void notPermitted() {
    notPermitted.increment();
  }

  void shed(Bulkhead.Shed reason) {
    shedCounter(reason.label).increment();
  }

  private Counter shedCounter(String reason) {
    return shed.computeIfAbsent(
        reason,
        r ->
            Counter.builder("mcp.sidecar.upstream.bulkhead.shed")
                .description("Calls refused by the bulkhead, by reason (queue_full, queue_timeout)")
                .tag("reason", r)
                .register(registry));
  }

  void retry(String method) {
    retries
        .computeIfAbsent(
            method,
            m ->
                Counter.builder("mcp.sidecar.upstream.retries")
                    .description("Idempotent calls sent again after no connection could be had")
                    .tag("mcp_method_name", m)
                    .register(registry))
        .increment();
  }

  void budgetExhausted() {
    budgetExhausted.increment();
  }

  void stale(String method) {
    stale
        .computeIfAbsent(
            method,
            m ->
                Counter.builder("mcp.sidecar.upstream.fallback.stale")
                    .description(
                        "List calls answered from the last good answer while the circuit was open")
                    .tag("mcp_method_name", m)
                    .register(registry))
        .increment();
  }
}
