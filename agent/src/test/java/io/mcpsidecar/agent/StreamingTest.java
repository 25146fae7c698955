package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server-sent event streams through the agent: timing, backpressure, scale and failure. */
class StreamingTest {

  private static StubUpstream upstream;
  private static Agent agent;
  private static Vertx clientVertx;
  private static HttpClient client;
  private static volatile io.vertx.core.Context lastContext;

  /** The end of the last opened response, taken on its event loop before it could end. */
  private static volatile io.vertx.core.Future<Void> lastEnd;

  @BeforeAll
  static void start() {
    upstream = new StubUpstream();
    agent = TestAgents.start(TestAgents.config(upstream.url(), "  maxConnections: 4096\n"));
    clientVertx = Vertx.vertx();
    client =
        clientVertx.createHttpClient(
            new io.vertx.core.http.HttpClientOptions().setDefaultPort(agent.mcpPort()),
            new PoolOptions().setHttp1MaxSize(2000));
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(agent);
    StubUpstream.await(clientVertx.close());
    upstream.close();
  }

  @AfterEach
  void reset() {
    upstream.received().clear();
  }

  private static void sse(HttpServerResponse response) {
    response.setChunked(true).putHeader("Content-Type", "text/event-stream").writeHead();
  }

  /**
   * Sends a request through the agent; {@code onData} is installed on the response's own event loop
   * (Vert.x objects are not thread-safe), or the response stays paused when it is null.
   */
  private static HttpClientResponse open(
      HttpMethod method, String body, io.vertx.core.Handler<Buffer> onData) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost("127.0.0.1")
            .setPort(agent.mcpPort())
            .setURI("/mcp")
            .putHeader("Accept", "application/json, text/event-stream")
            .putHeader("Content-Type", "application/json");
    return StubUpstream.await(
        client
            .request(options)
            .compose(
                req ->
                    // Handlers are installed in the send future's own callback, on the response's
                    // event loop, before any byte of the body can be delivered.
                    (body == null ? req.send() : req.send(body))
                        .onSuccess(
                            response -> {
                              lastContext = Vertx.currentContext();
                              lastEnd = response.end();
                              if (onData == null) {
                                response.pause();
                              } else {
                                response.handler(onData);
                              }
                            })));
  }

  @Test
  void relaysEventsAsTheyArriveWithIdsAndRetryUntouched() {
    List<String> events =
        List.of(
            "id: 1\nretry: 3000\ndata:\n\n",
            "event: message\nid: 2\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\n",
            "id: 3\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n");
    upstream.handle(
        req -> {
          HttpServerResponse response = req.response();
          sse(response);
          for (int i = 0; i < events.size(); i++) {
            String event = events.get(i);
            boolean last = i == events.size() - 1;
            upstream
                .vertx()
                .setTimer(
                    50L + 1000L * i,
                    t -> {
                      response.write(event);
                      if (last) {
                        response.end();
                      }
                    });
          }
        });
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    StringBuilder received = new StringBuilder();
    long opened = System.nanoTime();
    HttpClientResponse response =
        open(
            HttpMethod.POST,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"progress\"}}",
            chunk -> {
              arrivals.add(System.nanoTime() - opened);
              synchronized (received) {
                received.append(chunk.toString());
              }
            });
    assertThat(response.getHeader("Content-Type")).startsWith("text/event-stream");
    StubUpstream.await(lastEnd);
    synchronized (received) {
      assertThat(received.toString()).isEqualTo(String.join("", events));
    }
    // Three events written a second apart arrive a second apart, not all at the end.
    assertThat(arrivals).hasSizeGreaterThanOrEqualTo(3);
    long spanMs = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000;
    assertThat(spanMs).isBetween(1500L, 4000L);
  }

  @Test
  void aClientThatStopsReadingPausesTheServerInsteadOfFillingMemory() {
    AtomicLong written = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    Buffer event = Buffer.buffer("data: " + "x".repeat(8 * 1024) + "\n\n");
    upstream.handle(
        req -> {
          HttpServerResponse response = req.response();
          sse(response);
          Runnable[] pump = new Runnable[1];
          pump[0] =
              () -> {
                while (!stop.get() && !response.writeQueueFull()) {
                  response.write(event);
                  written.addAndGet(event.length());
                }
                if (!stop.get()) {
                  response.drainHandler(v -> pump[0].run());
                } else {
                  response.end();
                }
              };
          pump[0].run();
        });
    HttpClientResponse response = open(HttpMethod.GET, null, null); // the client never reads
    // The server keeps writing until every buffer on the way is full, then it must stall.
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              long before = written.get();
              Thread.sleep(1000);
              return written.get() == before;
            });
    long stalledAt = written.get();
    // Kernel socket buffers on both hops plus Vert.x write queues: a few MiB at most.
    assertThat(stalledAt).isLessThan(64L * 1024 * 1024);
    // Reading again lets the stream flow again.
    AtomicLong read = new AtomicLong();
    lastContext.runOnContext(
        v -> {
          response.handler(b -> read.addAndGet(b.length()));
          response.resume();
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > stalledAt + 1024 * 1024);
    stop.set(true);
    response.request().reset();
  }

  @Test
  void keepsAThousandStreamsOpenAndHealthy() {
    int streams = 1000;
    List<HttpServerResponse> serverSide = new CopyOnWriteArrayList<>();
    upstream.handle(
        req -> {
          sse(req.response());
          req.response().write("id: 0\ndata: hello\n\n");
          serverSide.add(req.response());
        });
    AtomicInteger greeted = new AtomicInteger();
    AtomicInteger pinged = new AtomicInteger();
    List<HttpClientResponse> responses = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      HttpClientResponse response =
          open(
              HttpMethod.GET,
              null,
              chunk -> {
                String text = chunk.toString();
                if (text.contains("hello")) {
                  greeted.incrementAndGet();
                }
                if (text.contains("ping")) {
                  pinged.incrementAndGet();
                }
              });
      responses.add(response);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .alias("every stream greeted")
        .untilAsserted(
            () ->
                assertThat(greeted.get())
                    .as(
                        "greeted; at server %d, open in agent %d",
                        upstream.received().size(), agent.endpoint().streams().openStreams())
                    .isEqualTo(streams));
    assertThat(agent.endpoint().streams().openStreams()).isEqualTo(streams);
    // Every stream is still alive: an event written on each reaches each client.
    upstream.vertx().runOnContext(v -> serverSide.forEach(r -> r.write("data: ping\n\n")));
    await().atMost(Duration.ofSeconds(30)).until(() -> pinged.get() == streams);
    responses.forEach(r -> r.request().reset());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> agent.endpoint().streams().openStreams() == 0);
  }

  @Test
  void endsTheClientStreamCleanlyWhenTheServerDiesMidStream() {
    upstream.handle(
        req -> {
          sse(req.response());
          req.response().write("id: 1\ndata: first\n\n");
          upstream.vertx().setTimer(200, t -> req.connection().close());
        });
    StringBuilder received = new StringBuilder();
    HttpClientResponse response = open(HttpMethod.GET, null, chunk -> received.append(chunk));
    StubUpstream.await(lastEnd);
    assertThat(received.toString()).isEqualTo("id: 1\ndata: first\n\n");
  }

  @Test
  void relaysEveryEventOfAChunkAtOnceWithAnEndpointRewrittenAmongThem() {
    StringBuilder first = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      first.append("id: ").append(i).append("\nevent: message\ndata: {\"n\":").append(i);
      first.append("}\n\n");
      if (i == 150) {
        first.append("event: endpoint\r\ndata: http://127.0.0.1:");
        first.append(upstream.port()).append("/messages?sessionId=abc\r\n\r\n");
      }
    }
    String complete = first.toString();
    String expected =
        complete.replace(
            "event: endpoint\r\ndata: http://127.0.0.1:"
                + upstream.port()
                + "/messages?sessionId=abc\r\n\r\n",
            "event: endpoint\ndata: /messages?sessionId=abc\n\n");
    java.util.concurrent.CompletableFuture<Void> firstArrived =
        new java.util.concurrent.CompletableFuture<>();
    upstream.handle(
        req -> {
          HttpServerResponse response = req.response();
          sse(response);
          var context = Vertx.currentContext();
          // The events of the first write and the start of one more; the rest only once every
          // complete event reached the client: an agent holding any of them would never finish.
          response.write(complete + "id: last\nda");
          firstArrived.thenRun(
              () -> context.runOnContext(v -> response.end("ta: {\"n\":\"end\"}\n\n")));
        });
    StringBuilder received = new StringBuilder();
    HttpClientResponse response =
        open(
            HttpMethod.GET,
            null,
            chunk -> {
              synchronized (received) {
                received.append(chunk.toString());
                if (received.length() >= expected.length()) {
                  firstArrived.complete(null);
                }
              }
            });
    StubUpstream.await(lastEnd);
    synchronized (received) {
      assertThat(received.toString()).isEqualTo(expected + "id: last\ndata: {\"n\":\"end\"}\n\n");
    }
  }

  @Test
  void rewritesALegacyEndpointThatWouldBypassTheAgent() {
    upstream.handle(
        req -> {
          sse(req.response());
          req.response()
              .write(
                  "event: endpoint\ndata: http://127.0.0.1:"
                      + upstream.port()
                      + "/messages?sessionId=abc\n\n");
          req.response().end("event: endpoint\ndata: https://other.example.com/messages\n\n");
        });
    StringBuilder received = new StringBuilder();
    HttpClientResponse response = open(HttpMethod.GET, null, chunk -> received.append(chunk));
    StubUpstream.await(lastEnd);
    assertThat(received.toString())
        .isEqualTo(
            "event: endpoint\ndata: /messages?sessionId=abc\n\n"
                + "event: endpoint\ndata: https://other.example.com/messages\n\n");
  }
}
