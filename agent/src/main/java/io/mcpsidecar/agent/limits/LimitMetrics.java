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
 * backend latency and errors. The tenant label is capped: configured tenants and the first {@code
 * maxTenants} other tenants seen get their own value, later ones share {@code _OTHER}, so no client
 * can create series at will. Tenant ids are short and plain already (identity checks them).
 */
final class LimitMetrics {

  static final String OTHER = "_OTHER";

  private final MeterRegistry registry;
  private final IntSupplier maxTenants;
  private final Set<String> labelled = ConcurrentHashMap.newKeySet();

  /** By tenant label, scope and outcome: looked up without building a key per call. */
  private final Map<String, Map<String, Map<String, Counter>>> decisions =
      new ConcurrentHashMap<>();

  /** By tenant label and scope. */
  private final Map<String, Map<String, AtomicLong>> remaining = new ConcurrentHashMap<>();

  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();

  LimitMetrics(MeterRegistry registry, IntSupplier maxTenants) {
    this.registry = registry;
    this.maxTenants = maxTenants;
  }

  /** The tenant's label value: itself, or {@code _OTHER} once the cap is reached. */
  String tenantLabel(String tenant) {
    return tenantLabel(tenant, Set.of());
  }

  /**
   * The tenant's label value: itself when it is one of the {@code configured} tenants (they never
   * count against the cap) or among the first {@code maxTenants} others seen, else {@code _OTHER}.
   */
  String tenantLabel(String tenant, Set<String> configured) {
    if (labelled.contains(tenant) || configured.contains(tenant)) {
      return tenant;
    }
    if (labelled.size() < maxTenants.getAsInt() && labelled.add(tenant)) {
      return tenant;
    }
    return labelled.contains(tenant) ? tenant : OTHER;
  }

  void decision(String tenantLabel, String scope, String outcome) {
    Counter counter = decisionsOf(tenantLabel, scope).get(outcome);
    if (counter == null) {
      counter =
          decisionsOf(tenantLabel, scope)
              .computeIfAbsent(
                  outcome,
                  o ->
                      Counter.builder("mcp.sidecar.limit.decisions")
                          .description("Limit decisions by tenant, scope and outcome")
                          .tag("tenant", tenantLabel)
                          .tag("scope", scope)
                          .tag("outcome", o)
                          .register(registry));
    }
    counter.increment();
  }

  private Map<String, Counter> decisionsOf(String tenantLabel, String scope) {
    Map<String, Map<String, Counter>> byScope = decisions.get(tenantLabel);
    if (byScope == null) {
      byScope = decisions.computeIfAbsent(tenantLabel, t -> new ConcurrentHashMap<>());
    }
    Map<String, Counter> byOutcome = byScope.get(scope);
    if (byOutcome == null) {
      byOutcome = byScope.computeIfAbsent(scope, t -> new ConcurrentHashMap<>());
    }
    return byOutcome;
  }

  void quotaRemaining(String tenantLabel, String scope, long value) {
    Map<String, AtomicLong> byScope = remaining.get(tenantLabel);
    if (byScope == null) {
      byScope = remaining.computeIfAbsent(tenantLabel, t -> new ConcurrentHashMap<>());
    }
    AtomicLong holder = byScope.get(scope);
    if (holder == null) {
      holder =
          byScope.computeIfAbsent(
              scope,
              k -> {
                AtomicLong created = new AtomicLong();
                Gauge.builder("mcp.sidecar.quota.remaining", created, AtomicLong::doubleValue)
                    .description("Calls left in the current day or month quota window")
                    .tag("tenant", tenantLabel)
                    .tag("scope", scope)
                    .register(registry);
                return created;
              });
    }
    holder.set(value);
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
