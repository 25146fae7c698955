package io.mcpsidecar.agent.approvals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The approvals' metrics: approvals by outcome, the pending count and the age of the oldest pending
 * one (both refreshed from the store by the periodic sweep, so with Redis they show every
 * replica's), notifications that failed, and approval requests refused because the store was full.
 */
final class ApprovalMetrics {

  /** Outcomes counted in {@code mcp_sidecar_approvals_total}. */
  enum Outcome {
    REQUESTED,
    APPROVED,
    DENIED,
    EXPIRED,
    USED,
    REFUSED_FULL;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong oldestAgeSeconds = new AtomicLong();
  private final Counter notifyFailures;

  ApprovalMetrics(MeterRegistry registry) {
    for (Outcome outcome : Outcome.values()) {
      outcomes.put(
          outcome,
          Counter.builder("mcp.sidecar.approvals")
              .description(
                  "Approvals by outcome: requested, approved, denied, expired, used,"
                      + " refused_full")
              .tag("outcome", outcome.label())
              .register(registry));
    }
    Gauge.builder("mcp.sidecar.approvals.pending", pending, AtomicLong::get)
        .description("Pending approvals not expired (in the shared store, with Redis)")
        .register(registry);
    Gauge.builder("mcp.sidecar.approvals.oldest.pending.age", oldestAgeSeconds, AtomicLong::get)
        .description("Age of the oldest pending approval, 0 when none")
        .baseUnit("seconds")
        .register(registry);
    this.notifyFailures =
        Counter.builder("mcp.sidecar.approvals.notify.failures")
            .description(
                "New pending approvals whose notification failed after its retries,"
                    + " or was dropped because the queue was full")
            .register(registry);
  }

  void count(Outcome outcome) {
    outcomes.get(outcome).increment();
  }

  void pending(long count, long oldestAgeSeconds) {
    this.pending.set(count);
    this.oldestAgeSeconds.set(oldestAgeSeconds);
  }

  void notifyFailed() {
    notifyFailures.increment();
  }
}
