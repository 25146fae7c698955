package io.mcpsidecar.agent.admin;

import io.mcpsidecar.agent.approvals.ApprovalsApi;
import io.mcpsidecar.agent.config.ConfigSource;
import io.mcpsidecar.agent.health.UpstreamProbe;
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
  private final UpstreamProbe upstream;
  private final McpEndpoint endpoint;
  private final PrometheusMeterRegistry registry;
  private final @Nullable ApprovalsApi approvals;
  private final Promise<Void> firstReady = Promise.promise();
  private HttpServer server;

  public AdminServer(
      Vertx vertx,
      ConfigSource config,
      UpstreamProbe upstream,
      McpEndpoint endpoint,
      PrometheusMeterRegistry registry) {
    this(vertx, config, upstream, endpoint, registry, null);
  }

  /** An admin listener that also serves the approvals API. */
  public AdminServer(
      Vertx vertx,
      ConfigSource config,
      UpstreamProbe upstream,
      McpEndpoint endpoint,
      PrometheusMeterRegistry registry,
      @Nullable ApprovalsApi approvals) {
    this.approvals = approvals;
    this.vertx = vertx;
    this.config = config;
    this.upstream = upstream;
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

  private void readiness(HttpServerRequest req) {
    UpstreamProbe.Status up = upstream.status();
    boolean draining = endpoint.draining();
    boolean ready = up.up() && !draining;
    JsonObject upstreamCheck =
        new JsonObject()
            .put("status", up.up() ? "UP" : "DOWN")
            .put("detail", up.detail())
            .put("latencyMs", up.latencyMs())
            .put("checkedAt", up.checkedAt() == null ? null : up.checkedAt().toString());
    JsonObject body =
        new JsonObject()
            .put("status", ready ? "UP" : "DOWN")
            .put(
                "checks",
                new JsonObject()
                    .put("upstream", upstreamCheck)
                    .put("draining", new JsonObject().put("status", draining ? "DOWN" : "UP")));
    json(req, ready ? 200 : 503, body);
    if (ready) {
      firstReady.tryComplete();
    }
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
