package io.mcpsidecar.agent.admin;

import io.mcpsidecar.agent.approvals.ApprovalsApi;
import io.mcpsidecar.agent.config.ConfigSource;
import io.mcpsidecar.agent.health.CheckState;
import io.mcpsidecar.agent.health.DependencyCheck;
import io.mcpsidecar.agent.health.HealthChecks;
import io.mcpsidecar.agent.transport.McpEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * The admin listener, apart from MCP traffic: liveness, readiness with detail per check, Prometheus
 * metrics and the effective configuration; and the approvals API ({@link ApprovalsApi}), behind
 * {@code admin.token}. Every answer but the approvals' comes from memory; nothing here blocks.
 */
public final class AdminServer {

  private final Vertx vertx;
  private final ConfigSource config;
  private final HealthChecks health;
  private final McpEndpoint endpoint;
  private final PrometheusMeterRegistry registry;
  private final @Nullable ApprovalsApi approvals;
  private final Promise<Void> firstReady = Promise.promise();
  private HttpServer server;

  public AdminServer(
      Vertx vertx,
      ConfigSource config,
      HealthChecks health,
      McpEndpoint endpoint,
      PrometheusMeterRegistry registry) {
    this(vertx, config, health, endpoint, registry, null);
  }

  /** An admin listener that also serves the approvals API. */
  public AdminServer(
      Vertx vertx,
      ConfigSource config,
      HealthChecks health,
      McpEndpoint endpoint,
      PrometheusMeterRegistry registry,
      @Nullable ApprovalsApi approvals) {
    this.approvals = approvals;
    this.vertx = vertx;
    this.config = config;
    this.health = health;
    this.endpoint = endpoint;
    this.registry = registry;
  }

  public Future<Integer> start() {
    var cfg = config.get().admin();
    server = vertx.createHttpServer(new HttpServerOptions()).requestHandler(this::handle);
    return server.listen(cfg.port(), cfg.host()).map(HttpServer::actualPort);
  }

  /** Completes once {@code /readyz} has answered 200 for the first time. */
  public Future<Void> firstReady() {
    return firstReady.future();
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    if (approvals != null && ApprovalsApi.owns(req.path())) {
      approvals.handle(req);
      return;
    }
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    String path = req.path();
    switch (path) {
      case "/healthz" -> json(req, 200, new JsonObject().put("status", "UP"));
      case "/readyz" -> readiness(req);
      case "/metrics" -> metrics(req);
      case "/config" -> {
        var snapshot = config.snapshot();
        json(
            req,
            200,
            new JsonObject()
                .put("generation", snapshot.generation())
                .put("hash", snapshot.hash())
                .put("restartPending", snapshot.restartPending())
                .put("config", new JsonObject(snapshot.redacted())));
      }
      default -> json(req, 404, new JsonObject().put("error", "no such admin endpoint: " + path));
    }
  }

  /** Prometheus text, or OpenMetrics (with exemplars) when the scraper asks for it. */
  private void metrics(HttpServerRequest req) {
    String accept = req.getHeader("Accept");
    String contentType =
        accept != null && accept.contains("application/openmetrics-text")
            ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
            : "text/plain; version=0.0.4; charset=utf-8";
    req.response().putHeader("Content-Type", contentType).end(registry.scrape(contentType));
  }

  /**
   * Ready while every critical check is up and the agent is not draining. The answer lists every
   * check, critical or not, with what it last saw; checks that are not critical never fail it.
   */
  private void readiness(HttpServerRequest req) {
    boolean draining = endpoint.draining();
    boolean ready = health.criticalUp() && !draining;
    JsonObject checks = new JsonObject();
    for (DependencyCheck check : health.all()) {
      checks.put(check.spec().name(), describe(check));
    }
    checks.put("draining", new JsonObject().put("status", draining ? "DOWN" : "UP"));
    JsonObject body = new JsonObject().put("status", ready ? "UP" : "DOWN").put("checks", checks);
    json(req, ready ? 200 : 503, body);
    if (ready) {
      firstReady.tryComplete();
    }
  }

  private static JsonObject describe(DependencyCheck check) {
    CheckState s = check.state();
    var spec = check.spec();
    JsonObject out =
        new JsonObject()
            .put("name", spec.name())
            .put("kind", spec.kind())
            .put("target", spec.target())
            .put("state", s.state().name().toLowerCase(java.util.Locale.ROOT))
            .put("status", s.state() == CheckState.State.UP ? "UP" : "DOWN")
            .put("critical", spec.critical())
            .put("detail", s.detail())
            .put("lastSuccess", text(s.lastSuccess()))
            .put("lastError", s.lastError())
            .put("lastErrorAt", text(s.lastErrorAt()))
            .put("durationMs", s.durationMs())
            .put("latencyMs", s.durationMs())
            .put("consecutiveFailures", s.consecutiveFailures())
            .put("checkedAt", text(s.checkedAt()));
    if (!spec.tools().isEmpty()) {
      io.vertx.core.json.JsonArray tools = new io.vertx.core.json.JsonArray();
      spec.tools().forEach(g -> tools.add(g.text()));
      out.put("tools", tools).put("whenDown", spec.whenDown().spelling());
    }
    return out;
  }

  private static String text(java.time.Instant at) {
    return at == null ? null : at.toString();
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
