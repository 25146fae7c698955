package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.demo.DemoServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.ListToolsResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official MCP Java SDK client through a real agent to a real SDK-built MCP server that goes
 * away and comes back: the circuit opens, the client still lists the tools (the last good list,
 * marked stale in {@code _meta}), tool calls fail fast with -32016, and once the server is back the
 * circuit closes through its trial call.
 */
class SdkClientThroughOpenCircuitTest {

  private DemoServer server;
  private Agent agent;
  private McpSyncClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    TestAgents.stop(agent);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listsStayAvailableStaleWhileTheCircuitIsOpenAndCallsFailFast() throws Exception {
    server = DemoServer.start("127.0.0.1", 0, true);
    int port = server.port();
    agent =
        TestAgents.start(
            TestAgents.config(
                server.url(),
                """
                  circuitBreaker: {enabled: true, window: 4, minimumCalls: 4, failureRate: 50,
                                   openFor: 1s, halfOpenCalls: 1}
                  fallback: {lists: true}
                """));
    URI uri = URI.create(TestAgents.mcpUrl(agent));
    client =
        McpClient.sync(
                HttpClientStreamableHttpTransport.builder(
                        uri.getScheme() + "://" + uri.getAuthority())
                    .endpoint(uri.getPath())
                    .build())
            .requestTimeout(Duration.ofSeconds(20))
            .initializationTimeout(Duration.ofSeconds(20))
            .build();
    client.initialize();
    ListToolsResult fresh = client.listTools();
    assertThat(fresh.tools()).extracting(Tool::name).contains("echo");

    server.close(); // the MCP server goes away
    for (int i = 0; i < 4; i++) {
      assertThat(catchThrowable(() -> client.callTool(echo()))).isNotNull();
    }
    Throwable fast = catchThrowable(() -> client.callTool(echo()));
    ListToolsResult stale =
        client.listTools(null); // one page, as the server (or the agent) sent it

    assertThat(fast.toString() + SdkClientLimitsTest.causes(fast))
        .contains("503")
        .contains("-32016")
        .contains("circuit_open");
    assertThat(stale.tools())
        .extracting(Tool::name)
        .isEqualTo(fresh.tools().stream().map(Tool::name).toList());
    assertThat(stale.meta())
        .containsEntry("io.mcpsidecar/stale", true)
        .containsKey("io.mcpsidecar/cachedAt");

    server = DemoServer.start("127.0.0.1", port, true); // back on the same address
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> client.callTool(echo()).isError() != Boolean.TRUE);
    ListToolsResult again = client.listTools(null);
    assertThat(again.meta() == null || !again.meta().containsKey("io.mcpsidecar/stale"))
        .as("a live answer once the circuit is closed")
        .isTrue();
  }

  static CallToolRequest echo() {
    return new CallToolRequest("echo", Map.of("message", "hi"));
  }
}
