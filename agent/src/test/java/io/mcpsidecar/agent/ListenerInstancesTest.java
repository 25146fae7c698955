package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.agent.transport.CallListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MCP listener runs as several instances sharing one port, each on its own event loop, and the
 * listener's bounds (connections, buffered body bytes) hold for all of them together. Vert.x hands
 * the connections of servers sharing a port to them in turn, so consecutive connections land on
 * different instances.
 */
class ListenerInstancesTest {

  private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(4);
  private static final Set<String> THREADS = ConcurrentHashMap.newKeySet();
  private static StubUpstream upstream;
  private static Agent two;

  @BeforeAll
  static void start() throws Exception {
    upstream = new StubUpstream();
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
    // Told of every exchange on the event loop that handled its connection.
    CallListener threads = call -> THREADS.add(Thread.currentThread().getName());
    two =
        Agent.start(
                TestAgents.config(
                    upstream.url(),
                    "  instances: 2\n  maxBufferedBytes: 4096\n  maxConnections: 4\n",
                    "edge:\n  maxBodyBytes: 4096\n"),
                threads)
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(two);
    upstream.close();
  }

  @Test
  void spreadsConnectionsOverTheEventLoopsOfEveryInstance() throws Exception {
    assertThat(two.endpoint().instances()).isEqualTo(2);
    awaitNoConnections();
    THREADS.clear();
    for (int i = 0; i < 4; i++) {
      try (RawHttp client = new RawHttp(two.mcpPort(), READ_TIMEOUT)) {
        assertThat(client.send(RawHttp.post(PING)).readUntil("\"result\""))
            .startsWith("HTTP/1.1 200");
      }
    }
    assertThat(THREADS).hasSize(2).allMatch(name -> name.startsWith("vert.x-eventloop-thread-"));
  }

  @Test
  void givesEveryInstanceAnEventLoopOfItsOwnBeyondTheDefaultPoolSize() throws Exception {
    // Vert.x's default pool is two event loops per processor.
    int instances = 2 * Runtime.getRuntime().availableProcessors() + 2;
    Agent many =
        Agent.start(
                TestAgents.config(upstream.url(), "  instances: " + instances + "\n", ""),
                call -> THREADS.add(Thread.currentThread().getName()))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    try {
      THREADS.clear();
      for (int i = 0; i < 2 * instances; i++) {
        try (RawHttp client = new RawHttp(many.mcpPort(), READ_TIMEOUT)) {
          assertThat(client.send(RawHttp.post(PING)).readUntil("\"result\""))
              .startsWith("HTTP/1.1 200");
        }
      }
      assertThat(THREADS).hasSize(instances);
    } finally {
      TestAgents.stop(many);
    }
  }

  @Test
  void runsOneInstancePerAvailableProcessorByDefault() {
    Agent byDefault = TestAgents.start(upstream.url());
    try {
      assertThat(byDefault.endpoint().instances())
          .isEqualTo(Runtime.getRuntime().availableProcessors());
    } finally {
      TestAgents.stop(byDefault);
    }
  }

  @Test
  void capsConnectionsOverAllInstancesTogether() throws Exception {
    awaitNoConnections();
    double refusedBefore = RawHttp.metric(two, "mcp_sidecar_listener_connections_refused_total");
    List<RawHttp> held = new ArrayList<>();
    try {
      // Four connections: two on each instance. Each instance alone is under the cap.
      for (int i = 0; i < 4; i++) {
        held.add(new RawHttp(two.mcpPort(), READ_TIMEOUT));
      }
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> two.endpoint().guard().openConnections() == 4);
      for (int i = 0; i < 2; i++) { // one attempt on each instance
        try (RawHttp beyond = new RawHttp(two.mcpPort(), READ_TIMEOUT)) {
          RawHttp.Answer answer = beyond.send(RawHttp.post(PING)).readUntilClosed();
          assertThat(answer.closed()).isTrue();
          assertThat(answer.text()).isEmpty();
        }
      }
      assertThat(RawHttp.metric(two, "mcp_sidecar_listener_connections_refused_total"))
          .isEqualTo(refusedBefore + 2);
      assertThat(two.endpoint().guard().openConnections()).isEqualTo(4);
    } finally {
      for (RawHttp client : held) {
        client.close();
      }
    }
  }

  @Test
  void capsBufferedBodyBytesOverAllInstancesTogether() throws Exception {
    awaitNoConnections();
    List<RawHttp> stalled = new ArrayList<>();
    try {
      // Two stalled bodies on consecutive connections (one on each instance) hold 3990 of 4096.
      String[][] bodies = {{"2100", "x".repeat(2000)}, {"2000", "x".repeat(1990)}};
      for (String[] body : bodies) {
        RawHttp client = new RawHttp(two.mcpPort(), READ_TIMEOUT);
        stalled.add(client);
        // Read before sending: the agent may buffer the body before the next line runs.
        long held = two.endpoint().guard().bufferedBytes() + body[1].length();
        client.send(
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + body[0]
                + "\r\n\r\n"
                + body[1]);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> two.endpoint().guard().bufferedBytes() == held);
      }
      for (int i = 0; i < 2; i++) { // a fresh body on each instance: 200 bytes, 106 are left
        try (RawHttp fresh = new RawHttp(two.mcpPort(), READ_TIMEOUT)) {
          RawHttp.Answer answer =
              fresh.send(RawHttp.post(PING + " ".repeat(200 - PING.length()))).readUntilClosed();
          assertThat(answer.status()).isEqualTo(503);
          assertThat(answer.text()).contains("buffered_bytes");
        }
      }
    } finally {
      for (RawHttp client : stalled) {
        client.close();
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> two.endpoint().guard().bufferedBytes() == 0);
  }

  /** Until what earlier tests held (connections, bodies of calls in flight) is given back. */
  private static void awaitNoConnections() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                two.endpoint().guard().openConnections() == 0
                    && two.endpoint().guard().bufferedBytes() == 0
                    && two.endpoint().streams().inFlight() == 0);
  }
}
