package io.mcpsidecar.agent;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A scriptable HTTP server standing in for an MCP server that misbehaves on purpose. Records every
 * request it receives (method, uri, headers, body) so a test can prove what reached the server.
 */
public final class StubUpstream implements AutoCloseable {

  /** A request as the server received it. */
  public record Received(String method, String uri, io.vertx.core.MultiMap headers, String body) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicReference<Handler<HttpServerRequest>> handler = new AtomicReference<>();
  private final AtomicReference<java.util.function.BiConsumer<HttpServerRequest, String>> withBody =
      new AtomicReference<>();

  public StubUpstream() {
    handler.set(req -> req.response().setStatusCode(500).end());
    server =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.body()
                            .onSuccess(
                                body -> {
                                  received.add(
                                      new Received(
                                          req.method().name(),
                                          req.uri(),
                                          io.vertx.core.MultiMap.caseInsensitiveMultiMap()
                                              .addAll(req.headers()),
                                          body.toString()));
                                  var bodyHandler = withBody.get();
                                  if (bodyHandler != null) {
                                    bodyHandler.accept(req, body.toString());
                                  } else {
                                    handler.get().handle(req);
                                  }
                                }))
                .listen(0, "127.0.0.1"));
  }

  public StubUpstream handle(Handler<HttpServerRequest> next) {
    withBody.set(null);
    handler.set(next);
    return this;
  }

  /** Handles each request with its body, already read. */
  public StubUpstream handleWithBody(
      java.util.function.BiConsumer<HttpServerRequest, String> next) {
    withBody.set(next);
    return this;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/mcp";
  }

  public List<Received> received() {
    return received;
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
