package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.agent.transport.ListenerGuard.Phase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MCP listener lets no client hold its memory or its connections for long: incomplete headers,
 * stalled bodies and idle keep-alive connections are cut at their (here short) deadlines, a body
 * that keeps coming above the minimum rate is read whole, a live event stream is never cut for
 * silence, and request bodies and connections are capped.
 */
class ListenerBoundsTest {

  private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
  // Far beyond every deadline of the tight agent, far below the defaults (10 s and more): a
  // connection closed before this was closed by the configured deadline.
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(4);
  private static StubUpstream upstream;
  private static Agent tight;
  private static Agent capped;

  @BeforeAll
  static void start() {
    upstream = new StubUpstream();
    upstream.handle(
        req -> {
          if ("GET".equals(req.method().name())) {
            // A stream that says one thing, then nothing for three idle timeouts, then ends.
            req.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .write("data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/first\"}\n\n");
            upstream
                .vertx()
                .setTimer(
                    1200,
                    t ->
                        req.response()
                            .end(
                                "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/late\"}\n\n"));
            return;
          }
          req.response()
              .putHeader("Content-Type", "application/json")
              .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        });
    tight =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                "  headerTimeout: 300ms\n  bodyTimeout: 300ms\n  minBodyRate: 200\n"
                    + "  idleTimeout: 400ms\n",
                ""));
    capped =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                "  maxBufferedBytes: 4096\n  maxConnections: 4\n",
                "edge:\n  maxBodyBytes: 4096\n"));
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(tight);
    TestAgents.stop(capped);
    upstream.close();
  }

  @Test
  void closesAConnectionThatSendsNothingAtTheHeaderDeadline() throws Exception {
    double before = timeouts(tight, Phase.HEADER);
    try (RawHttp client = new RawHttp(tight.mcpPort(), READ_TIMEOUT)) {
      RawHttp.Answer answer = client.readUntilClosed();
      assertThat(answer.closed()).isTrue();
      assertThat(answer.text()).isEmpty();
    }
    assertThat(timeouts(tight, Phase.HEADER)).isGreaterThan(before);
  }

  @Test
  void closesAConnectionThatSendsHalfItsHeadersAtTheHeaderDeadline() throws Exception {
    try (RawHttp client = new RawHttp(tight.mcpPort(), READ_TIMEOUT)) {
      RawHttp.Answer answer =
          client
              .send("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl")
              .readUntilClosed();
      assertThat(answer.closed()).isTrue();
      assertThat(answer.text()).isEmpty();
    }
  }

  @Test
  void answers408AndClosesWhenTheBodyStalls() throws Exception {
    double before = timeouts(tight, Phase.BODY);
    try (RawHttp client = new RawHttp(tight.mcpPort(), READ_TIMEOUT)) {
      RawHttp.Answer answer =
          client
              .send(
                  "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 1000\r\n\r\n{\"jsonrpc\"")
              .readUntilClosed();
      assertThat(answer.closed()).isTrue();
      assertThat(answer.status()).isEqualTo(408);
      JsonObject error = body(answer).getJsonObject("error");
      assertThat(error.getInteger("code")).isEqualTo(-32009);
      assertThat(error.getJsonObject("data").getInteger("receivedBytes")).isEqualTo(10);
    }
    assertThat(timeouts(tight, Phase.BODY)).isGreaterThan(before);
    assertThat(RawHttp.metric(tight, "mcp_sidecar_rejections_total{reason=\"request_timeout\"}"))
        .isPositive();
  }

  @Test
  void readsASlowBodyWholeWhileItKeepsAboveTheMinimumRate() throws Exception {
    // 600 bytes at about 1000 bytes/s: twice as long as bodyTimeout, five times minBodyRate.
    String padding = " ".repeat(600 - PING.length());
    String body = PING + padding;
    try (RawHttp client = new RawHttp(tight.mcpPort(), READ_TIMEOUT)) {
      client.send(
          "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: 600\r\n\r\n");
      for (int i = 0; i < 600; i += 100) {
        client.send(body.substring(i, i + 100));
        TimeUnit.MILLISECONDS.sleep(100); // the client's pace, not a wait for the agent
      }
      String answer = client.readUntil("\"result\"");
      assertThat(answer).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void closesAKeptAliveConnectionIdleBetweenRequests() throws Exception {
    double before = timeouts(tight, Phase.IDLE);
    try (RawHttp client = new RawHttp(tight.mcpPort(), READ_TIMEOUT)) {
      RawHttp.Answer answer = client.send(RawHttp.post(PING)).readUntilClosed();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.closed()).isTrue();
    }
    assertThat(timeouts(tight, Phase.IDLE)).isGreaterThan(before);
  }

  @Test
  void keepsALiveEventStreamOpenThroughSilenceLongerThanTheIdleTimeout() throws Exception {
    try (RawHttp client = new RawHttp(tight.mcpPort(), READ_TIMEOUT)) {
      client.send(
          "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
              + "Mcp-Session-Id: s1\r\n\r\n");
      assertThat(client.readUntil("notifications/first")).startsWith("HTTP/1.1 200");
      // The server is silent for 1.2 s (three idle timeouts), then sends its last event.
      assertThat(client.readUntil("notifications/late")).contains("notifications/late");
    }
  }

  @Test
  void refusesANewBodyWith503WhenStalledBodiesHoldTheBufferCap() throws Exception {
    List<RawHttp> stalled = new ArrayList<>();
    try {
      // 2000 of 2100 bytes, then 1990 of 2000: each fits when it starts; 3990 bytes are held.
      String[][] bodies = {{"2100", "x".repeat(2000)}, {"2000", "x".repeat(1990)}};
      long sent = 0;
      for (String[] body : bodies) {
        RawHttp client = new RawHttp(capped.mcpPort(), READ_TIMEOUT);
        stalled.add(client);
        client.send(
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body[0]
                + "\r\n\r\n"
                + body[1]);
        // Counted from what was sent, not read back: the agent may already hold part of this body.
        sent += body[1].length();
        long held = sent;
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> capped.endpoint().guard().bufferedBytes() == held);
      }
      try (RawHttp fresh = new RawHttp(capped.mcpPort(), READ_TIMEOUT)) {
        // 200 bytes: more than the 106 left under the cap.
        RawHttp.Answer answer =
            fresh.send(RawHttp.post(PING + " ".repeat(200 - PING.length()))).readUntilClosed();
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.text()).containsIgnoringCase("Retry-After: 1");
        assertThat(body(answer).getJsonObject("error").getInteger("code")).isEqualTo(-32019);
        assertThat(body(answer).getJsonObject("error").getJsonObject("data").getString("reason"))
            .isEqualTo("buffered_bytes");
      }
    } finally {
      for (RawHttp client : stalled) {
        client.close();
      }
    }
    // The bodies of clients that left are let go.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> capped.endpoint().guard().bufferedBytes() == 0);
    assertThat(RawHttp.metric(capped, "mcp_sidecar_listener_buffered_bytes")).isZero();
  }

  @Test
  void closesARefusedUploadThatStallsWithinTheBodyTimeoutNotTheIdleTimeout() throws Exception {
    Agent lingering =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                "  maxBufferedBytes: 4096\n  bodyTimeout: 500ms\n  idleTimeout: 60s\n",
                ""));
    try (RawHttp client = new RawHttp(lingering.mcpPort(), READ_TIMEOUT)) {
      // Declares more than the cap, sends a little, then nothing: refused at once, and the rest
      // of the body never comes.
      client.send(
          "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: 4194304\r\n\r\n"
              + "x".repeat(1000));
      RawHttp.Answer answer = client.readUntilClosed();
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.closed())
          .as("closed after the body timeout, not the idle timeout")
          .isTrue();
    } finally {
      TestAgents.stop(lingering);
    }
  }

  @Test
  void closesConnectionsBeyondTheCapAtOnceAndCountsThem() throws Exception {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> capped.endpoint().guard().openConnections() == 0);
    double refusedBefore = RawHttp.metric(capped, "mcp_sidecar_listener_connections_refused_total");
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        held.add(new RawHttp(capped.mcpPort(), READ_TIMEOUT));
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> capped.endpoint().guard().openConnections() == 4);
      try (RawHttp beyond = new RawHttp(capped.mcpPort(), READ_TIMEOUT)) {
        RawHttp.Answer answer = beyond.send(RawHttp.post(PING)).readUntilClosed();
        assertThat(answer.closed()).isTrue();
        assertThat(answer.text()).isEmpty();
      }
      assertThat(RawHttp.metric(capped, "mcp_sidecar_listener_connections_refused_total"))
          .isEqualTo(refusedBefore + 1);
      held.remove(0).close();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> capped.endpoint().guard().openConnections() == 3);
      try (RawHttp next = new RawHttp(capped.mcpPort(), READ_TIMEOUT)) {
        assertThat(next.send(RawHttp.post(PING)).readUntil("\"result\""))
            .startsWith("HTTP/1.1 200");
      }
    } finally {
      for (RawHttp client : held) {
        client.close();
      }
    }
  }

  @Test
  void describesTheListenerMetrics() throws Exception {
    assertThat(RawHttp.help(tight, "mcp_sidecar_listener_timeouts_total")).isNotBlank();
    assertThat(RawHttp.help(tight, "mcp_sidecar_listener_connections_refused_total")).isNotBlank();
    assertThat(RawHttp.help(tight, "mcp_sidecar_listener_connections")).isNotBlank();
    assertThat(RawHttp.help(tight, "mcp_sidecar_listener_buffered_bytes")).isNotBlank();
  }

  private static double timeouts(Agent agent, Phase phase) throws Exception {
    return RawHttp.metric(
        agent, "mcp_sidecar_listener_timeouts_total{phase=\"" + phase.label() + "\"}");
  }

  private static JsonObject body(RawHttp.Answer answer) {
    String text = answer.text();
    return new JsonObject(text.substring(text.indexOf("\r\n\r\n") + 4).trim());
  }
}
