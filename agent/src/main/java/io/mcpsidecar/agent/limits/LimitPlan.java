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

  /**
   * A tenant's limits: its own (from {@code tenants}) or the defaults under {@code limits}, with
   * the demands they make compiled (for one token; a quota's for its current window).
   *
   * @param requestsDemand the request rate's demand, or null when there is none
   * @param day the daily quota's demand in the current day, or null when there is none
   * @param month the monthly quota's demand in the current month, or null when there is none
   * @param policy the last {@code RateLimit-Policy} value of this tenant's calls
   */
  record TenantLimits(
      RateConfig requests,
      List<ToolRule> tools,
      QuotaConfig quotas,
      ZoneId zone,
      int concurrency,
      Demand requestsDemand,
      QuotaWindow.Current<Demand> day,
      QuotaWindow.Current<Demand> month,
      RateLimitHeaders.PolicyMemo policy) {}

  /** A per-tool rate with its demand (for one call). */
  record ToolRule(ToolRateConfig config, BucketSpec spec, Demand demand) {}

  /**
   * What a call counts for.
   *
   * @param cost tokens it takes from requests, quotas and the global ceiling
   * @param calls the counted requests in it (more than one in a batch): concurrency permits
   * @param tools the tools it calls (one entry per tools/call)
   */
  record Usage(long cost, int calls, List<String> tools) {
    static final Usage FREE = new Usage(0, 0, List.of());
  }

  private final AgentConfig source;
  private final long version;
  private final Set<String> counted;
  private final List<CostConfig> costs;
  private final Map<String, TenantLimits> tenants = new HashMap<>();
  private final TenantLimits defaults;
  private final Demand globalDemand;

  LimitPlan(AgentConfig config, long version) {
    this.source = config;
    this.version = version;
    LimitsConfig limits = config.limits();
    this.counted = Set.copyOf(limits.countedMethods());
    this.costs = limits.costs();
    this.defaults =
        limits(limits.requests(), limits.tools(), limits.quotas(), limits.concurrency());
    for (TenantConfig t : config.tenants()) {
      tenants.put(t.id(), limits(t.requests(), t.tools(), t.quotas(), t.concurrency()));
    }
    RateConfig global = limits.global();
    this.globalDemand =
        global.limit() > 0
            ? new Demand(
                Scope.GLOBAL,
                Scope.GLOBAL.label(),
                null,
                BucketSpec.rate(global.limit(), global.interval(), global.capacity()),
                1,
                global.limit(),
                global.interval(),
                null)
            : null;
  }

  private static TenantLimits limits(
      RateConfig requests, List<ToolRateConfig> tools, QuotaConfig quotas, int concurrency) {
    List<ToolRule> rules = new ArrayList<>();
    for (ToolRateConfig t : tools) {
      BucketSpec spec = BucketSpec.rate(t.limit(), t.interval(), t.capacity());
      Demand demand =
          new Demand(
              Scope.TOOL, "tool:" + t.match().text(), null, spec, 1, t.limit(), t.interval(), null);
      rules.add(new ToolRule(t, spec, demand));
    }
    Demand requestsDemand =
        requests.limit() > 0
            ? new Demand(
                Scope.REQUESTS,
                Scope.REQUESTS.label(),
                null,
                BucketSpec.rate(requests.limit(), requests.interval(), requests.capacity()),
                1,
                requests.limit(),
                requests.interval(),
                null)
            : null;
    ZoneId zone = ZoneId.of(quotas.timeZone());
    long day = quotas.day();
    long month = quotas.month();
    return new TenantLimits(
        requests,
        List.copyOf(rules),
        quotas,
        zone,
        concurrency,
        requestsDemand,
        day > 0
            ? new QuotaWindow.Current<>(false, zone, w -> quota(Scope.QUOTA_DAY, w, day))
            : null,
        month > 0
            ? new QuotaWindow.Current<>(true, zone, w -> quota(Scope.QUOTA_MONTH, w, month))
            : null,
        new RateLimitHeaders.PolicyMemo());
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

  Usage usage(List<JsonRpcMessage> messages) {
    long cost = 0;
    int calls = 0;
    List<String> tools = null;
    for (JsonRpcMessage m : messages) {
      if (!m.isRequest() || !counted.contains(m.method())) {
        continue;
      }
      calls++;
      if ("tools/call".equals(m.method())) {
        tools = tools == null ? new ArrayList<>(1) : tools;
        tools.add(m.target());
        cost += costOf(m.target());
      } else {
        cost += 1;
      }
    }
    return cost == 0 ? Usage.FREE : new Usage(cost, calls, tools == null ? List.of() : tools);
  }

  private long costOf(String tool) {
    for (int i = 0; i < costs.size(); i++) {
      if (costs.get(i).match().matches(tool)) {
        return costs.get(i).cost();
      }
    }
    return 1;
  }

  /** The global ceiling's demand of one token, or null when there is none. */
  Demand globalDemand() {
    return globalDemand;
  }

  /** The buckets a call with this usage asks of, and how much of each. */
  List<Demand> demands(TenantLimits t, Usage usage, Instant now) {
    List<Demand> out = new ArrayList<>(4);
    if (t.requestsDemand() != null) {
      out.add(t.requestsDemand().withTokens(usage.cost()));
    }
    List<ToolRule> rules = t.tools();
    for (int r = 0; r < rules.size(); r++) {
      ToolRule rule = rules.get(r);
      List<String> tools = usage.tools();
      long calls = 0;
      for (int i = 0; i < tools.size(); i++) {
        if (rule.config().match().matches(tools.get(i))) {
          calls++;
        }
      }
      if (calls > 0) {
        out.add(rule.demand().withTokens(calls));
      }
    }
    if (t.day() != null) {
      out.add(t.day().at(now).withTokens(usage.cost()));
    }
    if (t.month() != null) {
      out.add(t.month().at(now).withTokens(usage.cost()));
    }
    return out;
  }

  /** A quota's demand of one token in {@code window}. */
  private static Demand quota(Scope scope, QuotaWindow window, long limit) {
    return new Demand(
        scope,
        scope.label(),
        window.id(),
        BucketSpec.quota(limit, window.length()),
        1,
        limit,
        window.length(),
        window.end());
  }
}
