package io.mcpsidecar.agent.limits;

import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.agent.transport.BenchCalls;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Principal;
import io.mcpsidecar.agent.transport.Verdict;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-call work of the limits stage with the all-features benchmark's limits (a request rate, a
 * per-tool rate, daily and monthly quotas, concurrency and a global ceiling, all in local memory,
 * none ever reached). It lives in the agent's package to reach the package-private classes.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LimitsBenchmark {

  static final String LIMITS =
      """
      limits:
        backend: local
        requests: {limit: 1000000000, interval: 1m, burst: 1000000000}
        tools:
          - match: search_*
            limit: 1000000000
            interval: 1m
            burst: 1000000000
        costs:
          - match: search_*
            cost: 1
        quotas: {day: 1000000000000, month: 1000000000000, timeZone: Europe/Paris}
        concurrency: 100000
        global: {limit: 1000000000, interval: 1s, burst: 1000000000}
      """;

  private final Clock clock = Clock.systemUTC();
  private LimitPlan plan;
  private LimitPlan.TenantLimits tenantLimits;
  private LimitPlan.Usage usage;
  private TenantLimiter limiter;
  private List<LimitDecision.State> states;
  private LimitStage stage;
  private McpCall call;

  @Setup
  public void setUp() {
    String yaml = "upstream:\n  url: http://127.0.0.1:8080/mcp\n" + LIMITS;
    AgentConfig config = ((ConfigResult.Valid) ConfigLoader.parse(yaml)).config();
    call = BenchCalls.toolsCall(config);
    call.principal(new Principal("bench", "bench", Principal.Credential.API_KEY, null));
    plan = new LimitPlan(config, 1);
    tenantLimits = plan.limitsOf("bench");
    usage = plan.usage(call.messages());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    limiter =
        new TenantLimiter(
            new LocalBackend(clock, () -> 10_000), clock, new LimitMetrics(registry, () -> 100));
    states =
        ((LimitDecision.Allowed)
                limiter
                    .decide("bench", plan.demands(tenantLimits, usage, clock.instant()), 1, null)
                    .join())
            .states();
    stage = LimitStage.create(() -> config, registry, new AuditSink(registry), clock, null);
  }

  @TearDown
  public void tearDown() {
    stage.close();
  }

  /** The demands of one call: the request rate and both quota windows. */
  @Benchmark
  public List<Demand> demands() {
    return plan.demands(tenantLimits, usage, clock.instant());
  }

  /** The RateLimit-Policy and RateLimit fields of an allowed call. */
  @Benchmark
  public void rateLimitHeaders(Blackhole hole) {
    hole.consume(RateLimitHeaders.policy(states));
    hole.consume(RateLimitHeaders.limit(states));
  }

  /** Deciding one call's demands on the local backend. */
  @Benchmark
  public LimitDecision decideLocal() {
    return limiter
        .decide("bench", plan.demands(tenantLimits, usage, clock.instant()), 1, Duration.ZERO)
        .join();
  }

  /** The whole stage for one counted call, and its end (the concurrency permit). */
  @Benchmark
  public Verdict stage() {
    Verdict verdict = stage.intercept(call).result();
    stage.onEnd(call);
    return verdict;
  }
}
