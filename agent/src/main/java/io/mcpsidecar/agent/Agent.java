package io.mcpsidecar.agent;

import io.mcpsidecar.agent.admin.AdminServer;
import io.mcpsidecar.agent.approvals.ApprovalNotifier;
import io.mcpsidecar.agent.approvals.ApprovalStage;
import io.mcpsidecar.agent.approvals.Approvals;
import io.mcpsidecar.agent.approvals.ApprovalsApi;
import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.agent.config.ConfigSource;
import io.mcpsidecar.agent.config.ConfigWatcher;
import io.mcpsidecar.agent.config.ReloadMetrics;
import io.mcpsidecar.agent.health.DependencyStage;
import io.mcpsidecar.agent.health.HealthChecks;
import io.mcpsidecar.agent.health.HealthMetrics;
import io.mcpsidecar.agent.identity.IdentityStage;
import io.mcpsidecar.agent.limits.LimitStage;
import io.mcpsidecar.agent.limits.RedisLink;
import io.mcpsidecar.agent.policy.PolicyMetrics;
import io.mcpsidecar.agent.policy.PolicyStage;
import io.mcpsidecar.agent.resilience.UpstreamGuards;
import io.mcpsidecar.agent.telemetry.AccessLog;
import io.mcpsidecar.agent.telemetry.AuditLog;
import io.mcpsidecar.agent.telemetry.CallTracing;
import io.mcpsidecar.agent.telemetry.ListenerMetrics;
import io.mcpsidecar.agent.telemetry.ProxyMetrics;
import io.mcpsidecar.agent.telemetry.SpanExemplars;
import io.mcpsidecar.agent.telemetry.TracingSetup;
import io.mcpsidecar.agent.transport.AcceptGate;
import io.mcpsidecar.agent.transport.CallListener;
import io.mcpsidecar.agent.transport.GatedTransport;
import io.mcpsidecar.agent.transport.McpEndpoint;
import io.mcpsidecar.agent.transport.Stage;
import io.mcpsidecar.agent.transport.UpstreamStage;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ApprovalsConfig;
import io.mcpsidecar.config.ConfigResult;
import io.mcpsidecar.config.NotifyConfig;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The composition root: creates every part of the agent, wires them, starts and stops them. No
 * other class creates long-lived parts or reaches for globals.
 */
public final class Agent {

  private final Vertx vertx;
  private final ConfigSource config;
  private final PrometheusMeterRegistry registry;
  private final McpEndpoint endpoint;
  private final HealthChecks health;
  private final AdminServer admin;
  private volatile @Nullable JvmGcMetrics gcMetrics;
  private final TracingSetup tracing;
  private final ReloadMetrics reloadMetrics;
  private final AuditSink auditSink;
  private final LimitStage limits;
  private final UpstreamGuards guards;
  private final Approvals approvals;
  private final PolicyStage policy;
  // Long-lived clients the stages use; created and closed here.
  private final io.vertx.core.http.HttpClient jwksClient;
  private final io.vertx.core.http.HttpClient upstreamClient;
  private final io.vertx.core.http.HttpClient upstreamStreamClient;
  private final io.vertx.core.http.HttpClient healthClient;
  private final io.vertx.core.http.HttpClient notifyClient;
  private final @Nullable RedisLink redis;
  private @Nullable ConfigWatcher watcher;
  // The exporter and the JVM binders: set up on a worker thread once /readyz has first said ready
  // (or a moment after the listeners are up, if nobody asks), so that readiness does not share
  // the CPU with them.
  private final Promise<Void> backgroundGo = Promise.promise();
  private Future<Void> background = Future.succeededFuture();
  private int mcpPort;
  private int adminPort;

  private Agent(Vertx vertx, ConfigResult.Valid initial, Builder options) {
    Supplier<SpanExporter> spanExporter = options.spanExporter;
    this.vertx = vertx;
    this.config = new ConfigSource(initial);
    var prometheus = new io.prometheus.metrics.model.registry.PrometheusRegistry();
    BuildInfo.current().register(prometheus);
    this.registry =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT,
            prometheus,
            io.micrometer.core.instrument.Clock.SYSTEM,
            new SpanExemplars());
    var tracingConfig = initial.config().telemetry().tracing();
    this.tracing =
        spanExporter != null && tracingConfig.enabled()
            ? TracingSetup.deferred(tracingConfig, registry, spanExporter)
            : TracingSetup.of(tracingConfig, registry);
    CallTracing callTracing =
        new CallTracing(tracing.tracer(), tracing.propagator(), tracingConfig.propagateInMeta());
    AuditSink audit = new AuditSink(registry);
    this.auditSink = audit;
    this.jwksClient = IdentityStage.jwksClient(vertx);
    this.upstreamClient =
        UpstreamStage.callClient(vertx, initial.config().upstream().maxConnections());
    this.upstreamStreamClient =
        UpstreamStage.streamClient(vertx, initial.config().upstream().streamConnections());
    IdentityStage identity =
        new IdentityStage(
            jwksClient,
            registry,
            audit,
            Clock.systemUTC(),
            initial.config().identity().jwt().enabled());
    this.redis =
        RedisLink.openIfUsed(
            initial.config().limits(),
            initial.config().policy().approvals().store() == ApprovalsConfig.Store.REDIS);
    this.limits = LimitStage.create(config, registry, audit, Clock.systemUTC(), redis);
    this.healthClient = HealthChecks.httpClient(vertx);
    RedisLink link = redis;
    this.health =
        new HealthChecks(
            vertx,
            config,
            healthClient,
            new HealthMetrics(registry),
            Clock.systemUTC(),
            link == null
                ? null
                : () ->
                    // Lettuce's first connect loads and initialises much: off the event loop
                    timeout ->
                        vertx
                            .executeBlocking(link::ping, false)
                            .compose(io.vertx.core.Future::fromCompletionStage)
                            .map(pong -> "PING answered " + pong));
    this.guards = new UpstreamGuards(initial.config().upstream(), registry, Clock.systemUTC());
    this.notifyClient = vertx.createHttpClient();
    this.approvals = approvals(vertx, audit, options.clock);
    this.policy = new PolicyStage(config, registry, audit, Clock.systemUTC());
    // Observers only: the stages' end hooks (tracing ends its spans there) run before them.
    List<CallListener> all = new ArrayList<>();
    all.addAll(List.of(new ProxyMetrics(registry), new AccessLog(), new AuditLog(audit)));
    all.addAll(options.listeners);
    CallListener listeners = CallListener.all(List.copyOf(all));
    try {
      this.endpoint = pipeline(vertx, callTracing, identity, options, listeners);
    } catch (RuntimeException e) {
      closeClients();
      throw e;
    }
    io.micrometer.core.instrument.Gauge.builder(
            "mcp.sidecar.inflight.calls", endpoint, e -> e.streams().inFlight())
        .description("Exchanges on the MCP port started and not ended, streams included")
        .register(registry);
    ListenerMetrics.bind(endpoint.guard(), registry);
    this.admin =
        new AdminServer(
            vertx,
            config,
            health,
            endpoint,
            registry,
            new ApprovalsApi(approvals, () -> config.get().admin().token().reveal()));
    this.reloadMetrics = new ReloadMetrics(registry);
  }

  /** The MCP endpoint and the order of its pipeline, stated once. */
  private McpEndpoint pipeline(
      Vertx vertx,
      CallTracing callTracing,
      IdentityStage identity,
      Builder options,
      CallListener listeners) {
    // Each stage's requires() is checked against this order when the pipeline is built.
    return new McpEndpoint(
        vertx,
        config,
        upstreamClient,
        upstreamStreamClient,
        (edge, upstream) -> {
          List<Stage> order = new ArrayList<>();
          order.add(edge); // head checks before the body is read, message checks after
          order.add(callTracing); // server spans, so refusals below are traced
          order.add(identity); // sets the call's Principal
          order.add(policy); // reads the tenant; denied calls are not counted
          order.add(
              new ApprovalStage( // what the policy stage left for a human; deferred calls not
                  // counted
                  vertx,
                  approvals,
                  request ->
                      policy
                          .metrics()
                          .decision(PolicyMetrics.APPROVED_USE, request.rule(), request.tenant()),
                  () -> this.endpoint != null && this.endpoint.draining()));
          order.add(limits); // reads the tenant
          order.add(new DependencyStage(health)); // fails fast while a tool's dependency is down
          order.addAll(options.stages); // added through the builder
          order.add(guards.breaker()); // an open circuit refuses before the queue
          order.add(guards.bulkhead()); // places for calls in flight, and their queue
          order.add(callTracing.upstreamContext()); // client span, trace context forwarded
          order.add(guards.retry()); // a retry that never connected stays in the client span
          order.add(upstream); // the call to the MCP server, and its answer
          return order;
        },
        listeners);
  }

  /** The approvals and their store, as the config at start says (the store is not reloaded). */
  private Approvals approvals(Vertx vertx, AuditSink audit, Clock clock) {
    ApprovalNotifier notifier =
        new ApprovalNotifier(vertx, notifyClient, () -> notifyTarget(config.get()), clock);
    Supplier<Approvals.Settings> settings = () -> approvalSettings(config.get());
    AgentConfig initial = config.get();
    if (initial.policy().approvals().store() == ApprovalsConfig.Store.REDIS) {
      return Approvals.inRedis(
          vertx,
          redis,
          initial.limits().redis().keyPrefix(),
          clock,
          settings,
          registry,
          audit,
          notifier);
    }
    return Approvals.inMemory(vertx, clock, settings, registry, audit, notifier);
  }

  private static Approvals.Settings approvalSettings(AgentConfig config) {
    ApprovalsConfig approvals = config.policy().approvals();
    return new Approvals.Settings(
        approvals.ttl(),
        approvals.holdTimeout(),
        approvals.maxPending(),
        config.logging().arguments());
  }

  private static ApprovalNotifier.Target notifyTarget(AgentConfig config) {
    NotifyConfig notify = config.policy().approvals().notification();
    return new ApprovalNotifier.Target(notify.url(), notify.timeout(), notify.retries());
  }

  /**
   * What readiness does not wait for: builds the span exporter (handing it the spans ended so far)
   * and binds the JVM and process metrics. Blocking (class loading, JMX): runs on a worker thread.
   */
  private void startBackground() {
    tracing.startExport();
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    gcMetrics = gc;
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * How often the config file is checked for changes, how long a change must hold still, and who
   * else is told of each config a reload applies: process-wide settings such as log levels are the
   * caller's ({@link Main}), never the agent's.
   */
  public record Reload(
      Path file, Duration pollInterval, Duration debounce, Consumer<AgentConfig> onApplied) {

    public Reload(Path file, Duration pollInterval, Duration debounce) {
      this(file, pollInterval, debounce, applied -> {});
    }

    public static Reload of(Path file) {
      return new Reload(file, Duration.ofMillis(500), Duration.ofMillis(250));
    }

    /** The same reload, also telling {@code onApplied} of every config it applies. */
    public Reload applying(Consumer<AgentConfig> onApplied) {
      return new Reload(file, pollInterval, debounce, onApplied);
    }
  }

  /** Starts an agent that never reloads its config. */
  public static Future<Agent> start(AgentConfig config) {
    return start(new ConfigResult.Valid(config), null);
  }

  /** Starts an agent on its own Vert.x instance, watching {@code reload.file()} when given. */
  public static Future<Agent> start(AgentConfig config, @Nullable Reload reload) {
    return start(new ConfigResult.Valid(config), reload);
  }

  /** Starts an agent from a loaded config, watching {@code reload.file()} when given. */
  public static Future<Agent> start(ConfigResult.Valid loaded, @Nullable Reload reload) {
    return start(loaded, reload, null);
  }

  /**
   * Starts an agent whose spans go to {@code spanExporter} instead of the configured OTLP endpoint
   * (when tracing is enabled); for tests with an in-memory exporter.
   */
  public static Future<Agent> start(
      ConfigResult.Valid loaded, @Nullable Reload reload, @Nullable SpanExporter spanExporter) {
    return startDeferred(loaded, reload, spanExporter == null ? null : () -> spanExporter);
  }

  /**
   * Starts an agent whose span exporter {@code spanExporter} builds (when tracing is enabled) on a
   * worker thread after the listeners are up; for tests of what happens before it exists.
   */
  public static Future<Agent> startDeferred(
      ConfigResult.Valid loaded,
      @Nullable Reload reload,
      @Nullable Supplier<SpanExporter> spanExporter) {
    return builder(loaded).reload(reload).spanExporter(spanExporter).start();
  }

  /** Starts an agent that also tells {@code extraListener} of every exchange; for tests. */
  static Future<Agent> start(AgentConfig config, CallListener extraListener) {
    return builder(config).listener(extraListener).start();
  }

  /** A builder of an agent, for what the static {@code start} methods do not cover. */
  public static Builder builder(AgentConfig config) {
    return new Builder(new ConfigResult.Valid(config));
  }

  /** A builder of an agent started from a loaded config. */
  public static Builder builder(ConfigResult.Valid loaded) {
    return new Builder(loaded);
  }

  /**
   * Builds and starts an agent: the config, an optional reload watch and span exporter, and stages
   * and listeners of one's own.
   */
  public static final class Builder {
    private final ConfigResult.Valid loaded;
    private @Nullable Reload reload;
    private @Nullable Supplier<SpanExporter> spanExporter;
    private final List<Stage> stages = new ArrayList<>();
    private final List<CallListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    private Builder(ConfigResult.Valid loaded) {
      this.loaded = loaded;
    }

    /** Watches {@code reload.file()} and applies its changes. */
    public Builder reload(@Nullable Reload reload) {
      this.reload = reload;
      return this;
    }

    /** Spans go to the exporter {@code spanExporter} builds, not the configured OTLP endpoint. */
    public Builder spanExporter(@Nullable Supplier<SpanExporter> spanExporter) {
      this.spanExporter = spanExporter;
      return this;
    }

    /**
     * Adds a stage after the built-in ones (edge, tracing, identity, limits, dependencies) and
     * before the upstream call, in the order added: it sees the call's principal and wraps the
     * upstream call. Its {@link Stage#requires} are checked at start.
     */
    public Builder stage(Stage stage) {
      stages.add(stage);
      return this;
    }

    /** The clock approvals read (their creation, expiry and age); for tests. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Adds an observer told of every exchange after the agent's own. */
    public Builder listener(@Nullable CallListener listener) {
      if (listener != null) {
        listeners.add(listener);
      }
      return this;
    }

    /** Starts the agent on its own Vert.x instance; fails when the pipeline's order is wrong. */
    public Future<Agent> start() {
      return Agent.launch(loaded, reload, this);
    }
  }

  private static Future<Agent> launch(
      ConfigResult.Valid loaded, @Nullable Reload reload, Builder built) {
    AgentConfig config = loaded.config();
    VertxOptions options = new VertxOptions();
    String blocked = System.getProperty("vertx.options.blockedThreadCheckInterval");
    if (blocked != null) {
      options.setBlockedThreadCheckInterval(Long.parseLong(blocked));
      options.setMaxEventLoopExecuteTime(blocked == null ? 2000 : Long.parseLong(blocked));
      options.setMaxEventLoopExecuteTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    // The agent's blocking work is rare and short (config reads, the exporter's start and close);
    // Vert.x's default of 20 worker threads would grow, one per task, to 20 idle stacks.
    options.setWorkerPoolSize(WORKER_THREADS);
    options.setInternalBlockingPoolSize(WORKER_THREADS);
    // Every listener instance gets an event loop of its own (the default pool is 2 per processor).
    options.setEventLoopPoolSize(
        Math.max(options.getEventLoopPoolSize(), config.listen().eventLoops()));
    AcceptGate gate = new AcceptGate();
    Vertx vertx = Vertx.builder().with(options).withTransport(new GatedTransport(gate)).build();
    Agent agent;
    try {
      agent = new Agent(vertx, loaded, built);
    } catch (RuntimeException e) {
      return vertx.close().transform(v -> Future.failedFuture(e));
    }
    return agent
        .endpoint
        .start()
        .compose(
            port -> {
              agent.mcpPort = port;
              gate.guard(port, agent.endpoint.guard());
              return agent.admin.start();
            })
        .compose(
            port -> {
              agent.adminPort = port;
              agent.health.start();
              agent.background =
                  agent
                      .backgroundGo
                      .future()
                      .compose(
                          go ->
                              vertx.<Void>executeBlocking(
                                  () -> {
                                    agent.startBackground();
                                    return null;
                                  },
                                  false))
                      .onFailure(
                          err -> {
                            if (!(err instanceof StoppedEarly)) {
                              LoggerFactory.getLogger(Agent.class)
                                  .error("span exporter or JVM metrics failed to start", err);
                            }
                          });
              long fallback =
                  vertx.setTimer(
                      BACKGROUND_FALLBACK.toMillis(), t -> agent.backgroundGo.tryComplete());
              agent
                  .admin
                  .firstReady()
                  .onComplete(
                      ready -> {
                        vertx.cancelTimer(fallback);
                        agent.backgroundGo.tryComplete();
                      });
              if (reload == null) {
                return Future.succeededFuture(agent);
              }
              agent.watcher =
                  new ConfigWatcher(
                      vertx,
                      reload.file(),
                      agent.config,
                      agent.reloadMetrics,
                      agent.auditSink,
                      reload.pollInterval(),
                      reload.debounce(),
                      reload.onApplied());
              return agent.watcher.start().map(agent);
            })
        .recover(
            err -> {
              agent.closeClients();
              return vertx.close().transform(v -> Future.failedFuture(err));
            });
  }

  /** Threads for blocking work (and for Vert.x's internal blocking work, such as file reads). */
  static final int WORKER_THREADS = 4;

  /** How long after the listeners are up the background setup starts if /readyz is not asked. */
  static final Duration BACKGROUND_FALLBACK = Duration.ofSeconds(1);

  /** The background setup was cancelled: the agent stopped before it began. */
  private static final class StoppedEarly extends RuntimeException {
    StoppedEarly() {
      super("stopped before the exporter and JVM metrics were set up", null, false, false);
    }
  }

  public int mcpPort() {
    return mcpPort;
  }

  public int adminPort() {
    return adminPort;
  }

  public ConfigSource config() {
    return config;
  }

  public McpEndpoint endpoint() {
    return endpoint;
  }

  /** Drains calls in flight (up to the configured drain timeout), then stops everything. */
  public Future<Void> stop() {
    backgroundGo.tryFail(new StoppedEarly());
    health.stop();
    if (watcher != null) {
      watcher.stop();
    }
    // A promise bound to no context: once Vert.x is closed, callbacks bound to its contexts
    // would never run, so completion is signalled from outside them.
    Promise<Void> stopped = Promise.promise();
    endpoint
        .shutdown(config.get().shutdown().drainTimeout())
        // the server's connections get a second to finish what is being written on them
        .eventually(
            () ->
                Future.join(
                    upstreamClient.shutdown(1, java.util.concurrent.TimeUnit.SECONDS),
                    upstreamStreamClient.shutdown(1, java.util.concurrent.TimeUnit.SECONDS)))
        .eventually(admin::stop)
        // the exporter and the JVM binders are not torn down while they are being set up
        .eventually(() -> background.otherwiseEmpty())
        .onComplete(
            ar ->
                vertx
                    .executeBlocking(
                        () -> {
                          tracing.close(); // flushes spans still queued, bounded
                          return null;
                        })
                    .onComplete(
                        v -> {
                          closeClients();
                          if (gcMetrics != null) {
                            gcMetrics.close();
                          }
                          registry.close();
                          vertx.close().onComplete(stopped);
                        }));
    return stopped.future();
  }

  /** Closes the limits' connection, then the clients the stages and the endpoint were given. */
  private void closeClients() {
    limits.close();
    if (approvals != null) {
      approvals.close();
    }
    notifyClient.close();
    if (redis != null) {
      redis.close();
    }
    jwksClient.close();
    healthClient.close();
    upstreamClient.close();
    upstreamStreamClient.close();
  }
}
