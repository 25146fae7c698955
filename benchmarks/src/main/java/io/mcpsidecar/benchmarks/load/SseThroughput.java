package io.mcpsidecar.benchmarks.load;

import io.mcpsidecar.benchmarks.upstream.Payloads;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;

/**
 * SSE relay throughput: one GET stream of N progress notifications (about 190 bytes each, the way a
 * server reports progress), read as fast as the client can, counting whole events (blank-line
 * terminated) as they arrive.
 */
public final class SseThroughput {

  /** How many events arrived, over how long, and how many bytes they took. */
  public record Result(long events, double seconds, long bytes) {
    public double eventsPerSecond() {
      return events / seconds;
    }

    public double megabytesPerSecond() {
      return bytes / seconds / 1e6;
    }
  }

  private SseThroughput() {}

  public static Result run(Vertx vertx, HttpClientAgent client, Endpoint endpoint, long events) {
    Promise<Result> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> stream(client, endpoint, events).onComplete(done));
    return done.future()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(Duration.ofMinutes(2).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .join();
  }

  private static Future<Result> stream(HttpClientAgent client, Endpoint endpoint, long events) {
    long start = System.nanoTime();
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .set("Accept", "text/event-stream")
            .set(Payloads.API_KEY_HEADER, Payloads.API_KEY)
            .set("MCP-Protocol-Version", Payloads.PROTOCOL_VERSION);
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
                            .setURI(endpoint.path() + "?events=" + events)
                            .setHeaders(headers))
                    .compose(req -> req.send())
                    .compose(resp -> count(resp, start))
                    .eventually(connection::close));
  }

  private static Future<Result> count(HttpClientResponse resp, long start) {
    if (resp.statusCode() != 200) {
      return Future.failedFuture("SSE stream answered " + resp.statusCode());
    }
    Promise<Result> result = Promise.promise();
    long[] counts = new long[2]; // events, bytes
    byte[] previous = {0};
    resp.handler(
        (Buffer chunk) -> {
          byte[] bytes = chunk.getBytes();
          counts[1] += bytes.length;
          byte prev = previous[0];
          for (byte b : bytes) {
            if (b == '\n' && prev == '\n') {
              counts[0]++;
            }
            prev = b;
          }
          previous[0] = prev;
        });
    resp.exceptionHandler(result::tryFail);
    resp.endHandler(
        v ->
            result.tryComplete(
                new Result(counts[0], (System.nanoTime() - start) / 1e9, counts[1])));
    return result.future();
  }
}
