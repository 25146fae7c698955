package io.mcpsidecar.benchmarks.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.mcpsidecar.benchmarks.load.Endpoint;
import io.mcpsidecar.benchmarks.load.IdleStreams;
import io.mcpsidecar.benchmarks.load.LoadResult;
import io.mcpsidecar.benchmarks.load.McpConnection;
import io.mcpsidecar.benchmarks.load.MeasureWindow;
import io.mcpsidecar.benchmarks.load.OpenLoopLoad;
import io.mcpsidecar.benchmarks.load.SseThroughput;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StaticMcpServerTest {

  private static Vertx vertx;
  private static HttpClientAgent client;
  private static StaticMcpServer server;
  private static Endpoint endpoint;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    server = new StaticMcpServer(vertx);
    int port = server.start("127.0.0.1", 0).await();
    endpoint = Endpoint.mcp(port);
    client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions());
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void toolsCallBodyIsOneKibibyteAndReadsAsAToolsCall() {
    byte[] body = Payloads.toolsCall(1_234_567).getBytes();
    assertThat(body).hasSize(Payloads.CALL_BYTES);
    JsonRpcMessage message =
        ((ParseResult.Parsed) new JsonRpcParser(100).parse(body)).messages().get(0);
    assertThat(message.method()).isEqualTo("tools/call");
    assertThat(message.target()).isEqualTo("search_documents");
    assertThat(message.id()).isEqualTo("1234567");
    assertThat(message.metaTraceparent()).startsWith("00-");
  }

  @Test
  void readsTheIdOfNumbersAndStringsAndNoneOfNotifications() {
    assertThat(StaticMcpServer.idOf("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"x\"}"))
        .isEqualTo("42");
    assertThat(StaticMcpServer.idOf("{\"id\": \"a-b\",\"method\":\"x\"}")).isEqualTo("\"a-b\"");
    assertThat(StaticMcpServer.idOf(Payloads.initialized().toString())).isNull();
  }

  @Test
  void handshakeGivesASessionAndCallsAreAnswered() {
    McpConnection connection = McpConnection.open(client, endpoint).await();
    assertThat(connection.sessionId()).isNotBlank();
    assertThat(connection.call(Payloads.toolsCall(1_000_001)).await()).isEqualTo(200);
    connection.close().await();
  }

  @Test
  void streamsTheRequestedNumberOfEvents() {
    SseThroughput.Result result = SseThroughput.run(vertx, client, endpoint, 1000);
    assertThat(result.events()).isEqualTo(1000);
  }

  @Test
  void idleStreamsStayOpenUntilClosed() throws InterruptedException {
    IdleStreams streams = new IdleStreams(vertx, client, endpoint);
    streams.growTo(20);
    assertThat(streams.size()).isEqualTo(20);
    assertThat(server.openStreams()).isGreaterThanOrEqualTo(20);
    streams.closeAll();
  }

  @Test
  void openLoopSendsEveryScheduledCall() {
    LoadResult result =
        new OpenLoopLoad(vertx, client, endpoint)
            .run(
                new OpenLoopLoad.Plan(200, Duration.ofMillis(200), Duration.ofSeconds(1), 4),
                MeasureWindow.NONE);
    assertThat(result.completed()).isBetween(195L, 205L);
    assertThat(result.errors()).isZero();
    assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.completed());
  }
}
