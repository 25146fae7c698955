package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.agent.transport.CallListener;
import io.mcpsidecar.agent.transport.McpCall;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every exchange ends exactly once, whichever side gives up and wherever: the client before its
 * body is complete, while identity decides, while a pooled connection to the server is awaited,
 * after the request went upstream, or mid-stream; the server before its headers, mid-body or
 * mid-stream, or by refusing the connection. Each time the listeners hear of the end once, and the
 * in-flight and stream gauges come back to zero.
 */
class ExchangeEndTest {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
  private static final Ends ends = new Ends();
  private static StubUpstream upstream;
  private static StubUpstream idp;
  private static Agent agent;

  /** Counts, per request id, how often the listeners heard that the exchange ended. */
  static final class Ends implements CallListener {
    final Map<String, AtomicInteger> byRequest = new ConcurrentHashMap<>();
    final AtomicInteger openStreams = new AtomicInteger();

    @Override
    public void onEnd(McpCall call) {
      byRequest.computeIfAbsent(call.requestId(), k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void onStream(McpCall call, int delta) {
      openStreams.addAndGet(delta);
    }

    int of(String requestId) {
      AtomicInteger n = byRequest.get(requestId);
      return n == null ? 0 : n.get();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    upstream = new StubUpstream();
    idp = new StubUpstream().handle(req -> {}); // a key set that never comes
    String identity =
        "identity:\n  jwt:\n    enabled: true\n    jwksUrl: "
            + idp.url()
            + "\n    issuer: https://idp.example.com\n    audiences: [mcp]\n"
            + "    jwksTimeout: 1s\n";
    // One pooled connection, and deadlines far beyond the test's: only the client or the server
    // giving up can end an exchange here.
    agent =
        Agent.start(
                TestAgents.config(
                    upstream.url(),
                    "  maxConnections: 1\n  connectTimeout: 30s\n  responseTimeout: 30s\n"
                        + identity),
                ends)
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, java.util.concurrent.TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(agent);
    upstream.close();
    idp.close();
  }

  @AfterEach
  void nothingLeftInFlight() throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                agent.endpoint().streams().inFlight() == 0
                    && agent.endpoint().streams().openStreams() == 0
                    && agent.endpoint().streams().standaloneStreams() == 0);
    assertThat(RawHttp.metric(agent, "mcp_sidecar_inflight_calls")).isZero();
    assertThat(RawHttp.metric(agent, "mcp_sidecar_sse_streams")).isZero();
    assertThat(ends.openStreams).hasValue(0);
    assertThat(ends.byRequest.values()).allSatisfy(n -> assertThat(n).hasValue(1));
  }

  @Test
  void endsWhenTheClientLeavesBeforeItsBodyIsComplete() throws Exception {
    try (RawHttp client = new RawHttp(agent.mcpPort(), READ_TIMEOUT)) {
      client.send(
          "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "X-Request-Id: half-body\r\nContent-Length: 1000\r\n\r\n{\"jsonrpc\"");
      awaitInFlight(1);
    }
    awaitEnded("half-body");
  }

  @Test
  void endsWhenTheClientLeavesWhileIdentityDecides() throws Exception {
    upstream.received().clear();
    int keyFetches = idp.received().size();
    try (RawHttp client = new RawHttp(agent.mcpPort(), READ_TIMEOUT)) {
      client.send(RawHttp.post(PING, "X-Request-Id", "in-identity", "Authorization", jwt()));
      await().atMost(Duration.ofSeconds(5)).until(() -> idp.received().size() > keyFetches);
    }
    awaitEnded("in-identity");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void endsWhenTheClientLeavesWhileAPooledConnectionIsAwaited() throws Exception {
    upstream.handle(ExchangeEndTest::openStream);
    try (RawHttp holder = new RawHttp(agent.mcpPort(), READ_TIMEOUT)) {
      holder.send(get("pool-holder"));
      assertThat(holder.readUntil("notifications/first")).startsWith("HTTP/1.1 200");
      try (RawHttp waiter = new RawHttp(agent.mcpPort(), READ_TIMEOUT)) {
        waiter.send(get("pool-waiter"));
        awaitInFlight(2);
      }
      awaitEnded("pool-waiter");
      assertThat(agent.endpoint().streams().inFlight()).isEqualTo(1);
    }
    awaitEnded("pool-holder");
  }

  @Test
  void endsWhenTheClientLeavesAfterTheRequestWentUpstream() throws Exception {
    upstream.received().clear();
    upstream.handle(req -> {}); // never answers
    try (RawHttp client = new RawHttp(agent.mcpPort(), READ_TIMEOUT)) {
      client.send(RawHttp.post(PING, "X-Request-Id", "sent-upstream"));
      await().atMost(Duration.ofSeconds(5)).until(() -> !upstream.received().isEmpty());
    }
    awaitEnded("sent-upstream");
  }

  @Test
  void endsWhenTheClientLeavesMidStream() throws Exception {
    upstream.handle(ExchangeEndTest::openStream);
    try (RawHttp client = new RawHttp(agent.mcpPort(), READ_TIMEOUT)) {
      client.send(RawHttp.post(PING, "X-Request-Id", "mid-stream"));
      assertThat(client.readUntil("notifications/first")).startsWith("HTTP/1.1 200");
      assertThat(ends.openStreams).hasValue(1);
    }
    awaitEnded("mid-stream");
  }

  @Test
  void clientsThatResetRightAfterTheirBodyLeaveNoConnectionBehind() throws Exception {
    // The server is slower than the clients, so requests queue for the one pooled connection while
    // their clients are already gone (a reset, as a client that dies sends).
    upstream.handle(
        req ->
            upstream
                .vertx()
                .setTimer(
                    5,
                    t ->
                        req.response()
                            .putHeader("Content-Type", "application/json")
                            .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}")));
    for (int i = 0; i < 200; i++) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", agent.mcpPort())) {
        socket
            .getOutputStream()
            .write(
                RawHttp.post(PING, "X-Request-Id", "reset-" + i)
                    .getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        socket.setSoLinger(true, 0);
      }
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> agent.endpoint().guard().openConnections() == 0);
  }

  @Test
  void endsWhenTheServerClosesBeforeItsHeaders() throws Exception {
    upstream.handle(req -> req.connection().close());
    try (RawHttp client = new RawHttp(agent.mcpPort(), READ_TIMEOUT)) {
      client.send(RawHttp.post(PING, "X-Request-Id", "server-no-headers"));
      assertThat(client.readUntil("-32000")).startsWith("HTTP/1.1 502");
    }
    awaitEnded("server-no-headers");
  }

  @Test
  void endsWhenTheServerClosesMidBody() throws Exception {
    upstream.handle(
        req -> {
          req.response()
              .putHeader("Content-Type", "application/json")
              .putHeader("Content-Length", "1000")
              .write("{\"jsonrpc\"");
          upstream.vertx().setTimer(50, t -> req.connection().close());
        });
    try (RawHttp client = new RawHttp(agent.mcpPort(), READ_TIMEOUT)) {
      RawHttp.Answer answer =
          client.send(RawHttp.post(PING, "X-Request-Id", "server-mid-body")).readUntilClosed();
      assertThat(answer.closed()).isTrue();
    }
    awaitEnded("server-mid-body");
  }

  @Test
  void endsWhenTheServerClosesMidStream() throws Exception {
    upstream.handle(
        req -> {
          openStream(req);
          upstream.vertx().setTimer(50, t -> req.connection().close());
        });
    try (RawHttp client = new RawHttp(agent.mcpPort(), READ_TIMEOUT)) {
      // The stream is ended cleanly: its last chunk arrives.
      String answer =
          client
              .send(RawHttp.post(PING, "X-Request-Id", "server-mid-stream"))
              .readUntil("0\r\n\r\n");
      assertThat(answer).contains("notifications/first").endsWith("0\r\n\r\n");
    }
    awaitEnded("server-mid-stream");
  }

  @Test
  void endsWhenTheServerRefusesTheConnection() throws Exception {
    Agent orphan =
        Agent.start(TestAgents.config("http://127.0.0.1:1/mcp", ""), ends)
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, java.util.concurrent.TimeUnit.SECONDS);
    try (RawHttp client = new RawHttp(orphan.mcpPort(), READ_TIMEOUT)) {
      client.send(RawHttp.post(PING, "X-Request-Id", "refused"));
      assertThat(client.readUntil("-32000")).startsWith("HTTP/1.1 502");
      await().atMost(Duration.ofSeconds(5)).until(() -> ends.of("refused") == 1);
      assertThat(orphan.endpoint().streams().inFlight()).isZero();
      assertThat(RawHttp.metric(orphan, "mcp_sidecar_inflight_calls")).isZero();
    } finally {
      TestAgents.stop(orphan);
    }
  }

  private static void openStream(io.vertx.core.http.HttpServerRequest req) {
    req.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .write("data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/first\"}\n\n");
  }

  private static String get(String requestId) {
    return "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        + "Mcp-Session-Id: s1\r\nX-Request-Id: "
        + requestId
        + "\r\n\r\n";
  }

  /** A token whose key the agent must fetch first (the fetch never completes). */
  private static String jwt() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString(
            "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload =
        b64.encodeToString(
            "{\"iss\":\"https://idp.example.com\",\"sub\":\"s\"}".getBytes(StandardCharsets.UTF_8));
    return "Bearer " + header + "." + payload + "." + b64.encodeToString(new byte[32]);
  }

  private static void awaitInFlight(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.endpoint().streams().inFlight() == n);
  }

  private static void awaitEnded(String requestId) {
    await().atMost(Duration.ofSeconds(5)).until(() -> ends.of(requestId) >= 1);
    assertThat(ends.of(requestId)).as("ends of %s", requestId).isEqualTo(1);
  }
}
