package io.mcpsidecar.agent.limits;

import io.github.bucket4j.ConsumptionProbe;
import io.mcpsidecar.agent.audit.AuditEvent;
import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.transport.CallKey;
import io.mcpsidecar.agent.transport.ContextBound;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.McpInterceptor;
import io.mcpsidecar.agent.transport.Rejection;
import io.mcpsidecar.agent.transport.Verdict;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.LimitsConfig;
import io.mcpsidecar.config.StreamsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits stage: counts MCP calls (JSON-RPC requests of the counted methods, weighted by cost)
 * against the tenant's concurrency, the agent's global ceiling, and the tenant's rates, per-tool
 * rates and quotas in the backend, all or nothing. Answers a refused call with 429, {@code
 * Retry-After}, a JSON-RPC error whose {@code data} says which limit and when to retry, and {@code
 * RateLimit} headers, which allowed calls carry too. Never blocks: local buckets answer at once,
 * Redis asynchronously within {@code limits.redis.timeout}, after which {@code limits.failMode}
 * decides. It reads the tenant that the identity stage put in the call's attributes.
 */
public final class LimitStage implements McpInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(LimitStage.class);
  private static final CallKey<Permits> PERMIT = CallKey.of("limits.permit", Permits.class);
  private static final CallKey<OpenStream> STREAM = CallKey.of("limits.stream", OpenStream.class);
  private static final String STREAMS_SCOPE = "streams";
  private static final String GLOBAL = "~global";
  private static final long WARN_EVERY_MILLIS = 10_000;

  private final Supplier<AgentConfig> config;
  private final Clock clock;
  private final TenantLimiter limiter;
  private final LocalBackend global;
  private final ConcurrencyLimits concurrency = new ConcurrencyLimits();
  private final StreamLimits streams = new StreamLimits();
  private final LimitMetrics metrics;
  private final AuditSink audit;
  private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);
  private volatile LimitPlan plan;

  LimitStage(
      Supplier<AgentConfig> config,
      LimitBackend backend,
      MeterRegistry registry,
      AuditSink audit,
      Clock clock) {
    this.config = config;
    this.audit = audit;
    this.clock = clock;
    this.metrics =
        new LimitMetrics(registry, () -> config.get().telemetry().metrics().maxTenants());
    this.limiter = new TenantLimiter(backend, clock, metrics);
    this.global = new LocalBackend(clock, () -> 1);
    global.pin(Set.of(GLOBAL));
    plan(config.get()); // compiled (and its classes loaded) at start, not on an event loop
  }

  /**
   * The stage with the backend {@code limits.backend} names: Redis through {@code redis} (which the
   * caller opened with {@link RedisLink#openIfUsed} and closes after {@link #close}), or local
   * buckets. The backend is chosen once: a reload that changes it takes effect at the next restart.
   *
   * @throws IllegalArgumentException when the backend is Redis and {@code redis} is null
   */
  public static LimitStage create(
      Supplier<AgentConfig> config,
      MeterRegistry registry,
      AuditSink audit,
      Clock clock,
      RedisLink redis) {
    LimitsConfig limits = config.get().limits();
    LimitBackend backend;
    if (usesRedis(limits)) {
      if (redis == null) {
        throw new IllegalArgumentException("limits.backend is redis: a Redis link is needed");
      }
      backend =
          new RedisBackend(
              redis, limits.redis(), clock, () -> config.get().limits().redis().health());
    } else {
      backend = new LocalBackend(clock, () -> config.get().limits().maxTrackedTenants());
    }
    return new LimitStage(config, backend, registry, audit, clock);
  }

  static boolean usesRedis(LimitsConfig limits) {
    return limits.backend() == LimitsConfig.Backend.REDIS;
  }

  public static final String NAME = "limits";

  @Override
  public String name() {
    return NAME;
  }

  /** Limits count per tenant: the identity stage must have set the call's principal. */
  @Override
  public Set<String> requires() {
    return Set.of("identity");
  }

  /** Closes the backend's connection (not the Redis link, which its owner closes). */
  public void close() {
    limiter.backend().close();
  }

  @Override
  public Future<Verdict> intercept(McpCall call) {
    LimitPlan p = plan(call.config());
    if (call.httpMethod() == HttpMethod.GET) {
      return Future.succeededFuture(openStream(call, p));
    }
    LimitPlan.Usage usage = p.usage(call.messages());
    if (usage.cost() == 0) {
      return Future.succeededFuture(Verdict.PROCEED); // not counted: initialize, GET, DELETE, ...
    }
    String tenant = tenantOf(call);
    String label = metrics.tenantLabel(tenant, p.configuredTenants());
    LimitPlan.TenantLimits limits = p.limitsOf(tenant);
    if (limits.concurrency() > 0) {
      // One permit per counted call, all or none: a batch of 100 calls is 100 calls in flight.
      int permits = Math.max(1, usage.calls());
      if (!concurrency.tryAcquire(tenant, limits.concurrency(), permits)) {
        metrics.decision(label, Scope.CONCURRENCY.label(), "limited");
        return Future.succeededFuture(tooManyInFlight(call, tenant, limits.concurrency()));
      }
      call.put(PERMIT, new Permits(tenant, permits));
    }
    Demand ceiling = p.globalDemand() == null ? null : p.globalDemand().withTokens(usage.cost());
    if (ceiling != null) {
      ConsumptionProbe probe = global.consume(GLOBAL, ceiling);
      if (!probe.isConsumed()) {
        release(call);
        metrics.decision(label, Scope.GLOBAL.label(), "limited");
        LimitDecision.State state = new LimitDecision.State(ceiling, probe.getRemainingTokens(), 0);
        return Future.succeededFuture(
            limited(call, tenant, state, probe.getNanosToWaitForRefill(), List.of()));
      }
    }
    List<Demand> demands = p.demands(limits, usage, clock.instant());
    Duration timeout = p.config().redis().timeout();
    CompletableFuture<LimitDecision> decided =
        limiter.decide(tenant, demands, p.version(), timeout);
    if (decided.isDone() && !decided.isCompletedExceptionally()) {
      // Decided already (local buckets): the verdict at once, without a future to map.
      try {
        return Future.succeededFuture(
            verdict(call, p, limits, tenant, label, ceiling, decided.join()));
      } catch (Throwable e) { // as map would: a failed future, not an exception
        return Future.failedFuture(e);
      }
    }
    return ContextBound.await(decided)
        .map(decision -> verdict(call, p, limits, tenant, label, ceiling, decision));
  }

  /**
   * A standalone GET stream: admitted while the session and the tenant are under {@code
   * limits.streams}, refused with 405 (the only refusal the MCP spec allows for a GET) otherwise.
   */
  private Verdict openStream(McpCall call, LimitPlan p) {
    StreamsConfig limits = p.config().streams();
    if (limits.perSession() == 0 && limits.perTenant() == 0) {
      return Verdict.PROCEED;
    }
    String tenant = tenantOf(call);
    String label = metrics.tenantLabel(tenant, p.configuredTenants());
    String session = call.sessionId();
    StreamLimits.Refusal refused = streams.tryOpen(tenant, session, limits);
    if (refused == null) {
      call.put(STREAM, new OpenStream(tenant, session));
      metrics.decision(label, STREAMS_SCOPE, "allowed");
      return Verdict.PROCEED;
    }
    metrics.decision(label, STREAMS_SCOPE, "limited");
    audit(call, tenant, STREAMS_SCOPE);
    int limit = refused == StreamLimits.Refusal.SESSION ? limits.perSession() : limits.perTenant();
    return Verdict.reject(
        new Rejection(
            ErrorCode.STREAM_LIMITED,
            "more than "
                + limit
                + " event streams of this "
                + refused.label()
                + " open; keep using POST, or close one first",
            Map.of("scope", refused.label(), "limit", limit),
            Map.of("Allow", "POST, DELETE")));
  }

  private static String tenantOf(McpCall call) {
    return call.tenantOr("anonymous");
  }

  private Verdict verdict(
      McpCall call,
      LimitPlan p,
      LimitPlan.TenantLimits limits,
      String tenant,
      String label,
      Demand ceiling,
      LimitDecision decision) {
    if (decision instanceof LimitDecision.Allowed allowed) {
      record(label, allowed.states(), ceiling);
      if (!allowed.states().isEmpty()) {
        call.responseHeaders()
            .set(
                RateLimitHeaders.POLICY,
                RateLimitHeaders.policy(allowed.states(), limits.policy()));
        call.responseHeaders()
            .set(RateLimitHeaders.LIMIT, RateLimitHeaders.limit(allowed.states()));
      }
      return Verdict.PROCEED;
    }
    if (decision instanceof LimitDecision.Limited limited) {
      refundCeiling(p, ceiling);
      release(call);
      metrics.decision(label, limited.refused().demand().scope().label(), "limited");
      return limited(call, tenant, limited.refused(), limited.retryAfterNanos(), limited.states());
    }
    Throwable cause = ((LimitDecision.Unavailable) decision).cause();
    boolean open = p.config().failMode() == LimitsConfig.FailMode.OPEN;
    metrics.decision(label, "backend", open ? "fail_open" : "fail_closed");
    warn(call, cause, open);
    if (open) {
      return Verdict.PROCEED; // it still counts against the global ceiling
    }
    refundCeiling(p, ceiling);
    release(call);
    return Verdict.reject(
        new Rejection(
            ErrorCode.LIMITER_UNAVAILABLE,
            "the limits backend is unavailable and limits fail closed; retry",
            Map.of("retryAfterMs", 1000),
            Map.of("Retry-After", "1")));
  }

  private void refundCeiling(LimitPlan p, Demand ceiling) {
    if (ceiling != null) {
      global.refund(GLOBAL, ceiling, p.version(), null);
    }
  }

  private void record(String label, List<LimitDecision.State> states, Demand ceiling) {
    if (ceiling != null) {
      metrics.decision(label, Scope.GLOBAL.label(), "allowed");
    }
    for (LimitDecision.State s : states) {
      metrics.decision(label, s.demand().scope().label(), "allowed");
      if (s.demand().scope().quota()) {
        metrics.quotaRemaining(label, s.demand().scope().label(), s.remaining());
      }
    }
  }

  private Verdict limited(
      McpCall call,
      String tenant,
      LimitDecision.State refused,
      long retryNanos,
      List<LimitDecision.State> states) {
    Demand demand = refused.demand();
    // A call costing more than the bucket holds never fits: tell it to wait one period.
    long wait = Math.min(retryNanos, demand.period().toNanos());
    long seconds = Math.max(1, RateLimitHeaders.seconds(wait));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("scope", demand.scope().label());
    if (demand.scope() == Scope.TOOL) {
      data.put("tool", demand.name().substring("tool:".length()));
    }
    data.put("limit", demand.limit());
    data.put("remaining", Math.max(0, refused.remaining()));
    data.put("retryAfterMs", Math.max(1, wait / 1_000_000));
    if (demand.resetAt() != null) {
      data.put("resetAt", demand.resetAt().toString());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Retry-After", Long.toString(seconds));
    List<LimitDecision.State> shown = states.isEmpty() ? List.of(refused) : states;
    headers.put(RateLimitHeaders.POLICY, RateLimitHeaders.policy(shown));
    headers.put(RateLimitHeaders.LIMIT, RateLimitHeaders.limit(shown));
    audit(call, tenant, demand.scope().label());
    return Verdict.reject(
        new Rejection(demand.scope().code(), message(demand, seconds), data, headers));
  }

  private Verdict tooManyInFlight(McpCall call, String tenant, int max) {
    audit(call, tenant, Scope.CONCURRENCY.label());
    return Verdict.reject(
        new Rejection(
            ErrorCode.CONCURRENCY_LIMITED,
            "more than "
                + max
                + " calls of this tenant would be in flight; retry when one finishes",
            Map.of("scope", "concurrency", "limit", max, "remaining", 0, "retryAfterMs", 1000),
            Map.of("Retry-After", "1")));
  }

  private static String message(Demand demand, long seconds) {
    if (demand.scope().quota()) {
      return (demand.scope() == Scope.QUOTA_DAY ? "daily" : "monthly")
          + " quota of "
          + demand.limit()
          + " calls exhausted; it resets at "
          + demand.resetAt();
    }
    String what =
        switch (demand.scope()) {
          case TOOL -> "rate limit for tools " + demand.name().substring("tool:".length());
          case GLOBAL -> "the server's overall rate limit";
          default -> "rate limit";
        };
    return what
        + " of "
        + demand.limit()
        + " per "
        + demand.period().toSeconds()
        + "s exceeded; retry in "
        + seconds
        + "s";
  }

  @Override
  public void onEnd(McpCall call) {
    release(call);
    closeStream(call);
  }

  private void closeStream(McpCall call) {
    OpenStream open = call.remove(STREAM);
    if (open != null) {
      streams.close(open.tenant(), open.session());
    }
  }

  /** The stream a GET holds until it ends. */
  private record OpenStream(String tenant, String session) {}

  private void release(McpCall call) {
    Permits held = call.remove(PERMIT);
    if (held != null) {
      concurrency.release(held.tenant(), held.count());
    }
  }

  /** The concurrency permits a call holds until it ends. */
  private record Permits(String tenant, int count) {}

  private LimitPlan plan(AgentConfig current) {
    LimitPlan p = plan;
    if (p == null || !p.compiledFrom(current)) {
      p = new LimitPlan(current, clock.millis());
      if (limiter.backend() instanceof LocalBackend local) {
        local.pin(p.configuredTenants());
      }
      plan = p;
    }
    return p;
  }

  private void warn(McpCall call, Throwable cause, boolean open) {
    long now = clock.millis();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_MILLIS && lastWarning.compareAndSet(last, now)) {
      LOG.atWarn()
          .addKeyValue("requestId", call.requestId())
          .addKeyValue("failMode", open ? "open" : "closed")
          .log(
              "limits backend unavailable ({}); calls are {} (logged at most every 10s)",
              cause.toString(),
              open ? "allowed" : "refused");
    }
  }

  private void audit(McpCall call, String tenant, String scope) {
    audit.write(
        AuditEvent.deny(AuditEvent.Type.LIMIT_REFUSED, scope).call(call).with("tenant", tenant));
  }
}
