package io.mcpsidecar.agent.health;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.DependencyConfig;
import io.mcpsidecar.config.ServerCheckConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Every check the agent runs, planned from the config: the MCP server, the dependencies of its
 * tools, and the agent's own (Redis for shared limits, the JWKS endpoint, the OTLP collector) when
 * they are in use. Checks run on timers; readers take their cached states. A reload re-plans: a
 * check whose spec is unchanged keeps running with its state, a changed one starts over, a removed
 * one stops.
 */
public final class HealthChecks {

  /** The name of the MCP server's check (what readiness has always called it). */
  public static final String SERVER = "upstream";

  /** How often the plan is compared with the config in effect. */
  static final Duration REPLAN_EVERY = Duration.ofMillis(500);

  private final Vertx vertx;
  private final Supplier<AgentConfig> config;
  private final HttpClient client;
  private final HealthMetrics metrics;
  private final Clock clock;
  private final @Nullable Supplier<Probe> redis;
  private volatile Map<String, DependencyCheck> checks = Map.of();
  private volatile List<DependencyCheck> byTools = List.of();
  private @Nullable List<Planned> plan;
  private long replanTimer = -1;

  /**
   * @param client the HTTP client the MCP and HTTP checks use; the caller owns and closes it
   * @param redis the probe of the Redis link when limits use Redis, else null
   */
  public HealthChecks(
      Vertx vertx,
      Supplier<AgentConfig> config,
      HttpClient client,
      HealthMetrics metrics,
      Clock clock,
      @Nullable Supplier<Probe> redis) {
    this.vertx = vertx;
    this.config = config;
    this.client = client;
    this.metrics = metrics;
    this.clock = clock;
    this.redis = redis;
  }

  /** A client fit for checks: small pool, no keep-alive across runs that could hide an outage. */
  public static HttpClient httpClient(Vertx vertx) {
    return vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setMaxHeaderSize(16 * 1024),
        new PoolOptions().setHttp1MaxSize(8));
  }

  /** Plans the checks, starts them, and re-plans whenever the config in effect changes. */
  public synchronized void start() {
    replan();
    replanTimer = vertx.setPeriodic(REPLAN_EVERY.toMillis(), t -> replan());
  }

  public synchronized void stop() {
    if (replanTimer != -1) {
      vertx.cancelTimer(replanTimer);
    }
    checks.values().forEach(DependencyCheck::stop);
    checks = Map.of();
    byTools = List.of();
  }

  /** Every check, the server's first. */
  public List<DependencyCheck> all() {
    return List.copyOf(checks.values());
  }

  public @Nullable DependencyCheck server() {
    return checks.get(SERVER);
  }

  /**
   * Whether every critical check is up (a check not known yet is not; before the checks are
   * planned, nothing is known and the answer is no).
   */
  public boolean criticalUp() {
    Map<String, DependencyCheck> current = checks;
    if (!current.containsKey(SERVER)) {
      return false;
    }
    for (DependencyCheck check : current.values()) {
      if (check.spec().critical() && check.state().state() != CheckState.State.UP) {
        return false;
      }
    }
    return true;
  }

  /** The first dependency of {@code tool} that is down now, or null. */
  public @Nullable DependencyCheck downFor(String tool) {
    for (DependencyCheck check : byTools) {
      if (check.down() && check.spec().covers(tool)) {
        return check;
      }
    }
    return null;
  }

  void failedFast(DependencyCheck check) {
    metrics.failFast(check.spec().name());
  }

  private record Planned(CheckSpec spec, Supplier<Probe> probe) {}

  private synchronized void replan() {
    List<Planned> next = planOf(config.get());
    if (next.equals(plan)) {
      return;
    }
    Map<String, DependencyCheck> old = checks;
    Map<String, DependencyCheck> running = new LinkedHashMap<>();
    List<DependencyCheck> started = new ArrayList<>();
    for (Planned p : next) {
      DependencyCheck kept = old.get(p.spec().name());
      if (kept != null && kept.spec().equals(p.spec())) {
        running.put(p.spec().name(), kept);
      } else {
        if (kept != null) {
          kept.stop();
        }
        metrics.declare(p.spec().name(), p.spec().critical());
        DependencyCheck check =
            new DependencyCheck(vertx, p.spec(), p.probe().get(), metrics, clock);
        running.put(p.spec().name(), check);
        started.add(check);
      }
    }
    old.forEach(
        (name, check) -> {
          if (!running.containsKey(name)) {
            check.stop();
          }
        });
    checks = java.util.Collections.unmodifiableMap(running);
    byTools = running.values().stream().filter(c -> !c.spec().tools().isEmpty()).toList();
    plan = next;
    started.forEach(DependencyCheck::start);
  }

  // Probes are made only for checks that start; the plan compares specs and targets alone.
  private List<Planned> planOf(AgentConfig cfg) {
    List<Planned> out = new ArrayList<>();
    out.add(server(cfg));
    for (DependencyConfig d : cfg.health().dependencies()) {
      out.add(dependency(d));
    }
    if (redis != null) {
      Duration timeout = cfg.limits().redis().timeout();
      out.add(
          new Planned(
              CheckSpec.own(
                  "redis",
                  "redis",
                  cfg.limits().redis().url(),
                  Duration.ofSeconds(5),
                  timeout.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : timeout,
                  false),
              redis));
    }
    var jwt = cfg.identity().jwt();
    if (jwt.enabled() && !jwt.jwksUrl().isEmpty()) {
      String url = jwt.jwksUrl();
      out.add(
          new Planned(
              CheckSpec.own("jwks", "http", url, Duration.ofSeconds(30), jwt.jwksTimeout(), false),
              new Same(
                  url,
                  () ->
                      new HttpProbe(
                          client,
                          new io.mcpsidecar.config.HttpCheckConfig(url, List.of(200), "")))));
    }
    var tracing = cfg.telemetry().tracing();
    if (tracing.enabled()) {
      String host = tracing.endpoint().getHost();
      int port =
          tracing.endpoint().getPort() != -1
              ? tracing.endpoint().getPort()
              : "https".equals(tracing.endpoint().getScheme()) ? 443 : 80;
      String target = host + ":" + port;
      // never critical: traces are worth less than serving calls
      out.add(
          new Planned(
              CheckSpec.own(
                  "otlp-collector",
                  "tcp",
                  target,
                  Duration.ofSeconds(15),
                  Duration.ofSeconds(2),
                  false),
              new Same(target, () -> TcpProbe.of(vertx, target, Duration.ofSeconds(2)))));
    }
    return out;
  }

  private Planned server(AgentConfig cfg) {
    ServerCheckConfig s = cfg.health().server();
    var url = cfg.upstream().url();
    int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    boolean tcp = s.check() == ServerCheckConfig.Check.TCP;
    String version = s.protocolVersion();
    boolean stateless =
        !"auto".equals(version) && io.mcpsidecar.agent.mcp.McpEra.of(version).isStateless();
    CheckSpec spec =
        new CheckSpec(
            SERVER,
            tcp ? "tcp" : "mcp",
            tcp ? url.getHost() + ":" + port : url.toString(),
            s.interval(),
            s.timeout(),
            0.1,
            s.healthyThreshold(),
            s.unhealthyThreshold(),
            true,
            List.of(),
            DependencyConfig.WhenDown.ERROR);
    Supplier<Probe> probe =
        tcp
            ? () -> TcpProbe.of(vertx, url.getHost() + ":" + port, s.timeout())
            : () -> new McpPing(client, () -> config.get().upstream().url(), version, stateless);
    return new Planned(spec, new Same(version + stateless, probe));
  }

  private Planned dependency(DependencyConfig d) {
    String kind = d.http().enabled() ? "http" : !d.tcp().isEmpty() ? "tcp" : "dns";
    String target =
        switch (kind) {
          case "http" -> d.http().url();
          case "tcp" -> d.tcp();
          default -> d.dns();
        };
    CheckSpec spec =
        new CheckSpec(
            d.name(),
            kind,
            target,
            d.interval(),
            d.timeout(),
            0.1,
            d.healthyThreshold(),
            d.unhealthyThreshold(),
            d.critical(),
            d.tools(),
            d.whenDown());
    Supplier<Probe> probe =
        switch (kind) {
          case "http" -> () -> new HttpProbe(client, d.http());
          case "tcp" -> () -> TcpProbe.of(vertx, d.tcp(), d.timeout());
          default -> () -> new DnsProbe(vertx, d.dns());
        };
    return new Planned(spec, new Same(d.http(), probe));
  }

  /** A probe factory that two plans compare by what it checks, not by identity. */
  private record Same(Object key, Supplier<Probe> make) implements Supplier<Probe> {
    @Override
    public Probe get() {
      return make.get();
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Same s && Objects.equals(key, s.key);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(key);
    }
  }
}
