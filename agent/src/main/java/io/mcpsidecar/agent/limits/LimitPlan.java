package io.mcpsidecar.agent.limits;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.CostConfig;
import io.mcpsidecar.config.LimitsConfig;
import io.mcpsidecar.config.QuotaConfig;
import io.mcpsidecar.config.RateConfig;
import io.mcpsidecar.config.TenantConfig;
import io.mcpsidecar.config.ToolRateConfig;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The limits of one config snapshot, compiled once: which methods count, what a call costs, each
 * tenant's limits, and the buckets a call asks of. Immutable.
 */
final class LimitPlan {

  /** A tenant's limits: its own (from {@code tenants}) or the defaults under {@code limits}. */
  record TenantLimits(
      RateConfig requests,
      List<ToolRule> tools,
      QuotaConfig quotas,
      ZoneId zone,
      int concurrency) {}

  /** A per-tool rate with its compiled glob. */
  record ToolRule(ToolRateConfig config, Glob glob, BucketSpec spec) {}

  /**
   * What a call counts for.
   *
   * @param cost tokens it takes from requests, quotas and the global ceiling
   * @param tools the tools it calls (one entry per tools/call)
   */
  record Usage(long cost, List<String> tools) {
    static final Usage FREE = new Usage(0, List.of());
  }

  private final AgentConfig source;
  private final long version;
  private final Set<String> counted;
  private final List<CostConfig> costs;
  private final List<Glob> costGlobs = new ArrayList<>();
  private final Map<String, TenantLimits> tenants = new HashMap<>();
  private final TenantLimits defaults;
  private final BucketSpec global;
  private final RateConfig globalRate;

  LimitPlan(AgentConfig config, long version) {
    this.source = config;
    this.version = version;
    LimitsConfig limits = config.limits();
    this.counted = Set.copyOf(limits.countedMethods());
    this.costs = limits.costs();
    costs.forEach(c -> costGlobs.add(Glob.of(c.match())));
    this.defaults =
        limits(limits.requests(), limits.tools(), limits.quotas(), limits.concurrency());
    for (TenantConfig t : config.tenants()) {
      tenants.put(t.id(), limits(t.requests(), t.tools(), t.quotas(), t.concurrency()));
    }
    this.globalRate = limits.global();
    this.global =
        globalRate.limit() > 0
            ? BucketSpec.rate(globalRate.limit(), globalRate.interval(), globalRate.capacity())
            : null;
  }

  private static TenantLimits limits(
      RateConfig requests, List<ToolRateConfig> tools, QuotaConfig quotas, int concurrency) {
    List<ToolRule> rules = new ArrayList<>();
    for (ToolRateConfig t : tools) {
      rules.add(
          new ToolRule(
              t, Glob.of(t.match()), BucketSpec.rate(t.limit(), t.interval(), t.capacity())));
    }
    return new TenantLimits(
        requests, List.copyOf(rules), quotas, ZoneId.of(quotas.timeZone()), concurrency);
  }

  /** Whether this plan was compiled from {@code config}'s limits and tenants. */
  boolean compiledFrom(AgentConfig config) {
    return config.limits() == source.limits() && config.tenants() == source.tenants();
  }

  /** The configuration version stored with remote buckets: later configs replace earlier ones. */
  long version() {
    return version;
  }

  LimitsConfig config() {
    return source.limits();
  }

  Set<String> configuredTenants() {
    return tenants.keySet();
  }

  TenantLimits limitsOf(String tenant) {
    return tenants.getOrDefault(tenant, defaults);
  }

  /** The global ceiling's bucket, or null when there is none. */
  BucketSpec global() {
    return global;
  }

  RateConfig globalRate() {
    return globalRate;
  }

  Usage usage(List<JsonRpcMessage> messages) {
    long cost = 0;
    List<String> tools = null;
    for (JsonRpcMessage m : messages) {
      if (!m.isRequest() || !counted.contains(m.method())) {
        continue;
      }
      if ("tools/call".equals(m.method())) {
        tools = tools == null ? new ArrayList<>(1) : tools;
        tools.add(m.target());
        cost += costOf(m.target());
      } else {
        cost += 1;
      }
    }
    return cost == 0 ? Usage.FREE : new Usage(cost, tools == null ? List.of() : tools);
  }

  private long costOf(String tool) {
    for (int i = 0; i < costs.size(); i++) {
      if (costGlobs.get(i).matches(tool)) {
        return costs.get(i).cost();
      }
    }
    return 1;
  }

  /** The buckets a call with this usage asks of, and how much of each. */
  List<Demand> demands(TenantLimits t, Usage usage, Instant now) {
    List<Demand> out = new ArrayList<>(4);
    RateConfig r = t.requests();
    if (r.limit() > 0) {
      out.add(
          new Demand(
              Scope.REQUESTS,
              Scope.REQUESTS.label(),
              null,
              BucketSpec.rate(r.limit(), r.interval(), r.capacity()),
              usage.cost(),
              r.limit(),
              r.interval(),
              null));
    }
    for (ToolRule rule : t.tools()) {
      long calls = usage.tools().stream().filter(rule.glob()::matches).count();
      if (calls > 0) {
        out.add(
            new Demand(
                Scope.TOOL,
                "tool:" + rule.config().match(),
                null,
                rule.spec(),
                calls,
                rule.config().limit(),
                rule.config().interval(),
                null));
      }
    }
    if (t.quotas().day() > 0) {
      out.add(quota(Scope.QUOTA_DAY, QuotaWindow.day(now, t.zone()), t.quotas().day(), usage));
    }
    if (t.quotas().month() > 0) {
      out.add(
          quota(Scope.QUOTA_MONTH, QuotaWindow.month(now, t.zone()), t.quotas().month(), usage));
    }
    return out;
  }

  private static Demand quota(Scope scope, QuotaWindow window, long limit, Usage usage) {
    return new Demand(
        scope,
        scope.label(),
        window.id(),
        BucketSpec.quota(limit, window.length()),
        usage.cost(),
        limit,
        window.length(),
        window.end());
  }
}
