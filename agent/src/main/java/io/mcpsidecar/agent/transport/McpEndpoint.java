package io.mcpsidecar.agent.transport;

import io.mcpsidecar.config.AgentConfig;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The MCP listener and its connection pools to the server. Knows no tenants and no policies: those
 * arrive as {@link Stage}s, in the order the composition root states ({@link Order}).
 */
public final class McpEndpoint {

  private final Vertx vertx;
  private final Supplier<AgentConfig> config;
  private final CallListener listener;
  private final ActiveStreams streams = new ActiveStreams();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final ListenerGuard guard;
  private final HttpClient client;
  private final HttpClient streamClient;
  private final EdgeStage edge;
  private final Pipeline pipeline;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  /** States the order of the pipeline around the two stages the endpoint provides. */
  @FunctionalInterface
  public interface Order {
    /**
     * The stages in order: {@code edge} first, {@code upstream} last, the others between.
     *
     * @param edge the edge checks
     * @param upstream the call to the MCP server
     */
    List<Stage> stages(EdgeStage edge, UpstreamStage upstream);
  }

  /**
   * @param client the upstream pool for calls, and {@code streamClient} the one for standalone GET
   *     streams ({@link UpstreamStage#callClient}, {@link UpstreamStage#streamClient}): the caller
   *     owns both and closes them after {@link #shutdown}
   * @throws IllegalArgumentException when {@code order} breaks a stage's requirements ({@link
   *     Pipeline#of})
   */
  public McpEndpoint(
      Vertx vertx,
      Supplier<AgentConfig> config,
      HttpClient client,
      HttpClient streamClient,
      Order order,
      CallListener listener) {
    this.vertx = vertx;
    this.config = config;
    this.listener = listener;
    this.guard = new ListenerGuard(vertx, config.get().listen());
    this.client = client;
    this.streamClient = streamClient;
    this.edge = new EdgeStage(draining::get);
    this.pipeline =
        Pipeline.of(
            order.stages(edge, new UpstreamStage(vertx, client, streamClient, listener, streams)));
  }

  /** The stages every exchange passes through, in order. */
  public Pipeline pipeline() {
    return pipeline;
  }

  public Future<Integer> start() {
    AgentConfig cfg = config.get();
    ProxyHandler handler =
        new ProxyHandler(vertx, guard, config, pipeline, edge, listener, streams);
    HttpServerOptions options =
        new HttpServerOptions()
            // Off: it would cut a live event stream that has nothing to say. Header,
            // body and keep-alive deadlines are kept per connection (ListenerGuard).
            .setIdleTimeout(0)
            // HTTP/1.1 only: an h2c upgrade would put every stream of a client on one
            // connection, which the per-stream backpressure here does not model yet.
            .setHttp2ClearTextEnabled(false)
            .setTcpNoDelay(true)
            .setCompressionSupported(false)
            .setMaxHeaderSize(Math.max(cfg.edge().maxHeaderBytes(), 1024))
            .setMaxInitialLineLength(8192);
    // Servers of one deployment that listen on the same port share it. Port 0 would give each
    // instance a port of its own; a negative port is Vert.x's "one free port, shared".
    int port = cfg.listen().port() == 0 ? -1 : cfg.listen().port();
    Supplier<Deployable> instance =
        () ->
            context ->
                vertx
                    .createHttpServer(options)
                    .connectionHandler(guard::accepted)
                    .requestHandler(handler)
                    .listen(port, cfg.listen().host())
                    .onSuccess(servers::add);
    // Each instance of the deployment runs on an event loop of its own; Vert.x hands the
    // connections accepted on the shared port to the instances in turn, and every handler of a
    // connection runs on its instance's event loop. The handler, the guard and the streams are
    // shared by all instances and safe to use from several event loops at once.
    return vertx
        .deployVerticle(instance, new DeploymentOptions().setInstances(cfg.listen().eventLoops()))
        .map(id -> servers.get(0).actualPort());
  }

  /** Listener instances running, each on its own event loop. */
  public int instances() {
    return servers.size();
  }

  public ActiveStreams streams() {
    return streams;
  }

  /** The listener's bounds and what they did (connections, timeouts, buffered bytes). */
  public ListenerGuard guard() {
    return guard;
  }

  public boolean draining() {
    return draining.get();
  }

  /**
   * Stops taking calls: new requests get 503, standalone GET streams end at once (clients resume
   * elsewhere), calls in flight get until {@code drainTimeout} to finish, then the listeners and
   * the streams still open close. The upstream clients are the caller's to close.
   */
  public Future<Void> shutdown(Duration drainTimeout) {
    draining.set(true);
    streams.endStandalone();
    if (servers.isEmpty()) {
      return Future.succeededFuture();
    }
    // Stops accepting at once; connections close as their calls finish, or at the deadline.
    return Future.join(
            servers.stream()
                .map(s -> s.shutdown(drainTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .toList())
        .eventually(
            () -> {
              streams.endAll();
              return Future.succeededFuture();
            })
        .mapEmpty();
  }
}
