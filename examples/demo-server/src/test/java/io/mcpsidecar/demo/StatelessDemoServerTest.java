package io.mcpsidecar.demo;

import static io.mcpsidecar.demo.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo server in stateless mode: no sessions, one JSON answer per POST, no GET stream. */
class StatelessDemoServerTest {

  private static DemoServer server;

  private static RawHttp http;

  @BeforeAll
  static void start() {
    server = DemoServer.start("127.0.0.1", 0, true);
    http = new RawHttp(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void toolCallWorksWithoutInitializeOrSessionId() throws Exception {
    HttpResponse<String> response =
        http.post(RawHttp.callTool(7, "echo", "{\"message\":\"no session needed\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(response.body())
        .contains("\"id\":7")
        .contains("\"text\":\"no session needed\"")
        .contains("\"isError\":false");
  }

  @Test
  void initializeIssuesNoSessionId() throws Exception {
    HttpResponse<String> response = http.post(RawHttp.initialize(1));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
    assertThat(response.body()).contains("mcp-sidecar-demo-server");
  }

  @Test
  void getAnswers405() throws Exception {
    assertThat(http.send("GET", "Accept", "text/event-stream").statusCode()).isEqualTo(405);
  }

  @Test
  void progressStillCompletesWithoutAChannelForNotifications() throws Exception {
    HttpResponse<String> response =
        http.post(
            "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"progress\",\"arguments\":{\"steps\":2,\"intervalMs\":10},"
                + "\"_meta\":{\"progressToken\":\"t\"}}}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("done 2 steps").doesNotContain("notifications/progress");
  }

  @Test
  void sdkClientWorksAndSeesNoSessionBoundTools() {
    try (McpSyncClient client = TestClients.syncClient(server).build()) {
      client.initialize();

      assertThat(client.listTools().tools())
          .extracting(Tool::name)
          .containsExactlyInAnyOrder("echo", "add", "slow", "fail", "progress");
      assertThat(
              text(
                  client.callTool(
                      CallToolRequest.builder("add").arguments(Map.of("a", 1, "b", 2)).build())))
          .isEqualTo("3");
    }
  }
}
