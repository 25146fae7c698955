package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Map;

/**
 * The last stage: sends the call to the MCP server and answers with the server's answer head
 * ({@link Outcome.Relayed}), whose body or event stream is relayed once the outcome is written, or
 * with the refusal of an {@link UpstreamFailure}. Nothing here blocks.
 */
public final class UpstreamStage implements Stage {

  public static final String NAME = "upstream";

  /**
   * How the last attempt to reach the server failed, when it did: {@code unreachable} (no
   * connection could be had: nothing was sent), {@code timeout}, {@code closed} (closed before
   * answering), {@code broke_off} (failed while answering, before anything was relayed) or {@code
   * draining}. Stages around the upstream call read it (the breaker, retries).
   */
  public static final CallKey<String> FAILURE = CallKey.of("upstream.failure", String.class);

  /** {@link #FAILURE} when no connection could be had and nothing was sent. */
  public static final String UNREACHABLE = "unreachable";

  private final Vertx vertx;
  private final HttpClient client;
  private final HttpClient streamClient;
  private final CallListener listener;
  private final ActiveStreams streams;
  private final JsonRpcParser observer = new JsonRpcParser(10_000);

  /**
   * @param client the pool for calls
   * @param streamClient the pool for standalone GET streams, so that idle streams never hold the
   *     connections calls need
   */
  UpstreamStage(
      Vertx vertx,
      HttpClient client,
      HttpClient streamClient,
      CallListener listener,
      ActiveStreams streams) {
    this.vertx = vertx;
    this.client = client;
    this.streamClient = streamClient;
    this.listener = listener;
    this.streams = streams;
  }

  /** The pool for calls: keep-alive connections, never cut for silence. */
  public static HttpClient callClient(Vertx vertx, int size) {
    return vertx.createHttpClient(clientOptions(), new PoolOptions().setHttp1MaxSize(size));
  }

  /** The pool for standalone GET streams: one connection each, never cut for silence. */
  public static HttpClient streamClient(Vertx vertx, int size) {
    return vertx.createHttpClient(clientOptions(), new PoolOptions().setHttp1MaxSize(size));
  }

  private static HttpClientOptions clientOptions() {
    return new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(60)
        .setIdleTimeout(0) // never cut a live stream for silence
        .setTcpNoDelay(true)
        .setDecompressionSupported(false)
        .setMaxHeaderSize(64 * 1024);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Outcome> handle(McpCall call, Next next) {
    Exchange exchange = call.exchange;
    if (exchange.clientGone()) {
      return Future.failedFuture(Pipeline.ClientGone.INSTANCE);
    }
    UpstreamConfig upstream = call.config().upstream();
    boolean standalone = call.httpMethod() == HttpMethod.GET;
    if (standalone) {
      if (!streams.tryReserveStandalone(upstream.streamConnections())) {
        return Future.succeededFuture(Outcome.refused(streamRefusal(upstream.streamConnections())));
      }
      exchange.atEnd(streams::releaseStandalone);
    }
    UpstreamRelay relay = new UpstreamRelay(this, call, standalone);
    return relay.send(
        standalone ? streamClient : client, UpstreamRequests.options(call.request, call, upstream));
  }

  Vertx vertx() {
    return vertx;
  }

  CallListener listener() {
    return listener;
  }

  ActiveStreams streams() {
    return streams;
  }

  JsonRpcParser observer() {
    return observer;
  }

  private static Rejection streamRefusal(int limit) {
    return new Rejection(
        ErrorCode.STREAM_LIMITED,
        "the agent's " + limit + " event streams are all open; keep using POST",
        Map.of("scope", "agent", "limit", limit),
        Map.of("Allow", "POST, DELETE"));
  }
}
