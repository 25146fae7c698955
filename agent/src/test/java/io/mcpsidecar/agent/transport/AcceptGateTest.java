package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.agent.TestAgents;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections past the cap are closed where they are accepted: Vert.x never sets them up, so a
 * connection flood cannot queue connections for an event loop faster than it drains them.
 */
class AcceptGateTest {

  private final AcceptGate gate = new AcceptGate();
  private final AtomicInteger setUp = new AtomicInteger();
  private final List<Socket> sockets = new ArrayList<>();
  private Vertx vertx;
  private HttpServer server;
  private ListenerGuard guard;
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.builder().withTransport(new GatedTransport(gate)).build();
    server =
        vertx
            // As the agent's listener: HTTP/1.1 only, so a connection is set up as it is accepted
            .createHttpServer(
                new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
            .connectionHandler(conn -> setUp.incrementAndGet())
            .requestHandler(req -> req.response().end("ok"));
    port =
        server
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
    guard =
        new ListenerGuard(
            vertx,
            TestAgents.config("http://127.0.0.1:1/mcp", "  maxConnections: 3\n", "").listen());
    gate.guard(port, guard);
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void closesConnectionsPastTheCapBeforeVertxSetsThemUp() throws Exception {
    for (int i = 0; i < 3; i++) {
      sockets.add(new Socket("127.0.0.1", port));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> setUp.get() == 3);

    for (int i = 0; i < 20; i++) {
      try (Socket refused = new Socket("127.0.0.1", port)) {
        refused.setSoTimeout(5000);
        assertThat(refused.getInputStream().read()).as("closed at once").isEqualTo(-1);
      }
    }

    assertThat(setUp).hasValue(3);
    assertThat(guard.refusedConnections()).isEqualTo(20);
    assertThat(gate.port(port).held()).isEqualTo(3);
  }

  @Test
  void admitsAgainOnceAHeldConnectionCloses() throws Exception {
    for (int i = 0; i < 3; i++) {
      sockets.add(new Socket("127.0.0.1", port));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> setUp.get() == 3);
    sockets.remove(0).close();
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.port(port).held() == 2);

    try (Socket next = new Socket("127.0.0.1", port)) {
      next.setSoTimeout(5000);
      next.getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
      InputStream in = next.getInputStream();
      assertThat(new String(in.readAllBytes())).startsWith("HTTP/1.1 200");
    }
    assertThat(guard.refusedConnections()).isZero();
  }

  @Test
  void leavesListenersItDoesNotGuardAlone() throws Exception {
    gate.release(port);
    for (int i = 0; i < 6; i++) {
      sockets.add(new Socket("127.0.0.1", port));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> setUp.get() == 6);
    assertThat(guard.refusedConnections()).isZero();
  }
}
