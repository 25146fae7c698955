package io.mcpsidecar.benchmarks.load;

import io.mcpsidecar.benchmarks.upstream.Payloads;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many idle SSE streams, the way MCP clients hold a standalone GET stream open for server
 * notifications: each on its own connection, each has received the server's priming event, none
 * sees any traffic after that.
 */
public final class IdleStreams {

  /** How many streams are opened at the same time while growing the set. */
  private static final int OPENING_AT_ONCE = 200;

  private static final long STREAM_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final Endpoint endpoint;
  private final List<HttpClientConnection> open = new ArrayList<>();

  public IdleStreams(Vertx vertx, HttpClientAgent client, Endpoint endpoint) {
    this.vertx = vertx;
    this.client = client;
    this.endpoint = endpoint;
  }

  public int size() {
    return open.size();
  }

  /** Opens streams until {@code total} are open; each has received its priming event. */
  public void growTo(int total) {
    int wanted = total - open.size();
    if (wanted <= 0) {
      return;
    }
    Promise<Void> done = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              int[] remaining = {wanted};
              List<Future<Void>> workers = new ArrayList<>();
              for (int i = 0; i < Math.min(OPENING_AT_ONCE, wanted); i++) {
                workers.add(worker(remaining));
              }
              Future.all(workers).<Void>mapEmpty().onComplete(done);
            });
    done.future().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.MINUTES).join();
  }

  private Future<Void> worker(int[] remaining) {
    if (remaining[0] == 0) {
      return Future.succeededFuture();
    }
    remaining[0]--;
    return openOne().compose(c -> worker(remaining));
  }

  /** Opens one stream; fails if it has not received its priming event in time. */
  private Future<Void> openOne() {
    Promise<Void> opened = Promise.promise();
    long timer =
        vertx.setTimer(
            STREAM_TIMEOUT_MS,
            t -> opened.tryFail("a stream was not open within " + STREAM_TIMEOUT_MS + " ms"));
    attempt()
        .onComplete(
            ar -> {
              vertx.cancelTimer(timer);
              if (ar.succeeded()) {
                opened.tryComplete();
              } else {
                opened.tryFail(ar.cause());
              }
            });
    return opened.future();
  }

  private Future<Void> attempt() {
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .set("Accept", "text/event-stream")
            .set(Payloads.API_KEY_HEADER, Payloads.API_KEY)
            .set("MCP-Protocol-Version", Payloads.PROTOCOL_VERSION)
            .set("Mcp-Session-Id", "idle-" + open.size());
    return client
        .connect(new HttpConnectOptions().setHost(endpoint.host()).setPort(endpoint.port()))
        .compose(
            connection ->
                connection
                    .request(
                        new RequestOptions()
                            .setMethod(HttpMethod.GET)
                            .setHost(endpoint.host())
                            .setPort(endpoint.port())
                            .setURI(endpoint.path())
                            .setHeaders(headers))
                    .compose(req -> req.send())
                    .compose(
                        resp -> {
                          if (resp.statusCode() != 200) {
                            return Future.failedFuture("GET stream answered " + resp.statusCode());
                          }
                          Promise<Void> primed = Promise.promise();
                          resp.handler(chunk -> primed.tryComplete());
                          resp.exceptionHandler(primed::tryFail);
                          return primed.future();
                        })
                    .map(
                        v -> {
                          open.add(connection);
                          return null;
                        }));
  }

  /** Closes every stream (the client goes away; the proxy must let go of both sides). */
  public void closeAll() {
    Promise<Void> done = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              List<Future<Void>> closing = new ArrayList<>();
              open.forEach(c -> closing.add(c.close()));
              open.clear();
              Future.join(closing).<Void>mapEmpty().onComplete(done);
            });
    done.future().toCompletionStage().toCompletableFuture().orTimeout(1, TimeUnit.MINUTES).join();
  }
}
