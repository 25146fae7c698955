package io.mcpsidecar.agent.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls of each tenant in flight in this agent. An entry lives only while its tenant has calls in
 * flight, so the table is bounded by the calls in flight, not by the tenants ever seen.
 */
final class ConcurrencyLimits {

  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

  /** Takes a permit unless the tenant already has {@code max} calls in flight. */
  boolean tryAcquire(String tenant, int max) {
    return tryAcquire(tenant, max, 1);
  }

  /**
   * Takes {@code permits} permits at once (one per call of a batch), or none when they would take
   * the tenant past {@code max} calls in flight: a batch never holds part of what it needs.
   */
  boolean tryAcquire(String tenant, int max, int permits) {
    boolean[] acquired = {false};
    inFlight.compute(
        tenant,
        (t, n) -> {
          int current = n == null ? 0 : n;
          if ((long) current + permits > max) {
            return n;
          }
          acquired[0] = true;
          return current + permits;
        });
    return acquired[0];
  }

  void release(String tenant) {
    release(tenant, 1);
  }

  void release(String tenant, int permits) {
    inFlight.computeIfPresent(tenant, (t, n) -> n <= permits ? null : n - permits);
  }

  int inFlight(String tenant) {
    return inFlight.getOrDefault(tenant, 0);
  }
}
