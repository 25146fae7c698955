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
    boolean[] acquired = {false};
    inFlight.compute(
        tenant,
        (t, n) -> {
          int current = n == null ? 0 : n;
          if (current >= max) {
            return n;
          }
          acquired[0] = true;
          return current + 1;
        });
    return acquired[0];
  }

  void release(String tenant) {
    inFlight.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
  }

  int inFlight(String tenant) {
    return inFlight.getOrDefault(tenant, 0);
  }
}
