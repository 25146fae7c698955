package io.mcpsidecar.agent.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The limits' metrics (docs/metrics.md): decisions by tenant, scope and outcome, remaining quota,
 * backend latency and errors. The tenant label is capped: the first {@code maxTenants} tenants seen
 * get their own value, later ones share {@code other}, so no client can create series at will.
 */
final class LimitMetrics {

  static final String OTHER = "other";

  private final MeterRegistry registry;
  private final IntSupplier maxTenants;
  private final Set<String> labelled = ConcurrentHashMap.newKeySet();
  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> remaining = new ConcurrentHashMap<>();
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();

  LimitMetrics(MeterRegistry registry, IntSupplier maxTenants) {
    this.registry = registry;
    this.maxTenants = maxTenants;
  }

  /** The tenant's label value: itself, or {@code other} once the cap is reached. */
  String tenantLabel(String tenant) {
    if (labelled.contains(tenant)) {
      return tenant;
    }
    if (labelled.size() < maxTenants.getAsInt() && labelled.add(tenant)) {
      return tenant;
    }
    return labelled.contains(tenant) ? tenant : OTHER;
  }

  void decision(String tenantLabel, String scope, String outcome) {
    decisions
        .computeIfAbsent(
            tenantLabel + '\u0000' + scope + '\u0000' + outcome,
            k ->
                Counter.builder("mcp.sidecar.limit.decisions")
                    .description("Limit decisions by tenant, scope and outcome")
                    .tag("tenant", tenantLabel)
                    .tag("scope", scope)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }

  void quotaRemaining(String tenantLabel, String scope, long value) {
    remaining
        .computeIfAbsent(
            tenantLabel + '\u0000' + scope,
            k -> {
              AtomicLong holder = new AtomicLong();
              Gauge.builder("mcp.sidecar.quota.remaining", holder, AtomicLong::doubleValue)
                  .description("Calls left in the current day or month quota window")
                  .tag("tenant", tenantLabel)
                  .tag("scope", scope)
                  .register(registry);
              return holder;
            })
        .set(value);
  }

  void backendCall(String backend, long nanos) {
    durations
        .computeIfAbsent(
            backend,
            b ->
                Timer.builder("mcp.sidecar.limit.backend.duration")
                    .description("Latency of limiter backend calls")
                    .tag("backend", b)
                    .publishPercentileHistogram()
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void backendError(String backend) {
    errors
        .computeIfAbsent(
            backend,
            b ->
                Counter.builder("mcp.sidecar.limit.backend.errors")
                    .description("Limiter backend failures (errors and timeouts)")
                    .tag("backend", b)
                    .register(registry))
        .increment();
  }
}
