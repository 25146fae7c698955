package io.mcpsidecar.benchmarks.upstream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fast static upstream: a Streamable HTTP MCP server that does no work, so that what the
 * benchmark sees is the cost of what sits in front of it.
 *
 * <ul>
 *   <li>POST {@code initialize}: a fixed result and a fresh {@code Mcp-Session-Id};
 *   <li>POST notification: 202, no body;
 *   <li>POST any other request: a fixed ~0.5 KiB {@code tools/call} result under the request's id;
 *   <li>GET {@code ?events=N}: an event stream of N progress notifications, then the end;
 *   <li>GET without {@code events}: a priming event, then an idle stream that stays open;
 *   <li>DELETE: 204;
 *   <li>POST {@code /v1/traces}: 200, an OTLP/HTTP collector that drops what it receives.
 * </ul>
 *
 * It reads only what it must (the id and the method, by plain text search), which is enough for the
 * benchmark's own client and keeps the server's cost per call at a few microseconds.
 */
public final class StaticMcpServer {

  /** Where the agent's OTLP/HTTP exporter sends spans when tracing is on. */
  public static final String OTLP_TRACES_PATH = "/v1/traces";

  /** Events are written in groups of this many, the way a busy server's writes coalesce. */
  private static final int EVENTS_PER_WRITE = 32;

  private final Vertx vertx;
  private final AtomicInteger openStreams = new AtomicInteger();
  private final AtomicLong exportedBatches = new AtomicLong();
  private HttpServer server;

  public StaticMcpServer(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Integer> start(String host, int port) {
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setTcpNoDelay(true)
                    .setIdleTimeout(0)
                    .setAcceptBacklog(16384)
                    .setHttp2ClearTextEnabled(false))
            .requestHandler(this::handle);
    return server.listen(port, host).map(HttpServer::actualPort);
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int openStreams() {
    return openStreams.get();
  }

  /** Span batches received from a tracing agent. */
  public long exportedBatches() {
    return exportedBatches.get();
  }

  private void handle(HttpServerRequest req) {
    if (req.method() == HttpMethod.POST && req.path().equals(OTLP_TRACES_PATH)) {
      // The agent's trace exporter: swallow the spans, answer an empty ExportTraceServiceResponse.
      req.body()
          .onSuccess(
              spans -> {
                exportedBatches.incrementAndGet();
                req.response().putHeader("Content-Type", "application/x-protobuf").end();
              });
    } else if (req.method() == HttpMethod.POST) {
      req.body().onSuccess(body -> answer(req.response(), body));
    } else if (req.method() == HttpMethod.GET) {
      stream(req);
    } else if (req.method() == HttpMethod.DELETE) {
      req.response().setStatusCode(204).end();
    } else {
      req.response().setStatusCode(405).end();
    }
  }

  private static void answer(HttpServerResponse resp, Buffer body) {
    String text = body.toString(StandardCharsets.UTF_8);
    String id = idOf(text);
    if (id == null) {
      resp.setStatusCode(202).end(); // a notification or a response: accepted, nothing to say
      return;
    }
    resp.putHeader("Content-Type", "application/json");
    if (text.contains("\"method\":\"initialize\"")) {
      resp.putHeader("Mcp-Session-Id", UUID.randomUUID().toString());
      resp.end(Payloads.initializeResult(id));
    } else {
      resp.end(Payloads.result(id));
    }
  }

  /** The raw JSON text of the first {@code "id"} member, or null when there is none. */
  static String idOf(String json) {
    int at = json.indexOf("\"id\":");
    if (at < 0) {
      return null;
    }
    int from = at + 5;
    while (from < json.length() && json.charAt(from) == ' ') {
      from++;
    }
    int to = from;
    if (to < json.length() && json.charAt(to) == '"') {
      to = json.indexOf('"', to + 1) + 1;
    } else {
      while (to < json.length() && json.charAt(to) != ',' && json.charAt(to) != '}') {
        to++;
      }
    }
    return to > from ? json.substring(from, to).trim() : null;
  }

  private void stream(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    resp.setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    String events = req.getParam("events");
    openStreams.incrementAndGet();
    boolean[] counted = {true};
    Runnable gone =
        () -> {
          if (counted[0]) {
            counted[0] = false;
            openStreams.decrementAndGet();
          }
        };
    resp.closeHandler(v -> gone.run());
    resp.endHandler(v -> gone.run());
    if (events == null) {
      resp.write(Payloads.PRIMING_EVENT); // then silence until the client goes away
      return;
    }
    long total = Long.parseLong(events);
    new EventPump(resp, total).run();
  }

  /** Writes the events with backpressure: it stops when the socket is full and resumes on drain. */
  private static final class EventPump {
    private final HttpServerResponse resp;
    private final long total;
    private long next = 1;

    EventPump(HttpServerResponse resp, long total) {
      this.resp = resp;
      this.total = total;
    }

    void run() {
      while (next <= total) {
        if (resp.closed()) {
          return;
        }
        StringBuilder chunk = new StringBuilder(EVENTS_PER_WRITE * 200);
        for (int i = 0; i < EVENTS_PER_WRITE && next <= total; i++, next++) {
          chunk.append(Payloads.progressEvent(next, total));
        }
        resp.write(chunk.toString());
        if (resp.writeQueueFull()) {
          resp.drainHandler(v -> run());
          return;
        }
      }
      resp.end();
    }
  }

  /** {@code java ... StaticMcpServer [host] [port]}: serves until killed; prints its port. */
  public static void main(String[] args) throws InterruptedException {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    int actual =
        new StaticMcpServer(vertx)
            .start(host, port)
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    System.out.println("static MCP server listening on " + host + ":" + actual);
    new CountDownLatch(1).await();
  }
}
