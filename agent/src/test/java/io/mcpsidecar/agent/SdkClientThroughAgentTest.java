package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.demo.DemoServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official MCP Java SDK client, through a real agent, to a real SDK-built MCP server. */
class SdkClientThroughAgentTest {

  private static final List<ProgressNotification> progress = new CopyOnWriteArrayList<>();
  private static DemoServer server;
  private static Agent agent;
  private static McpSyncClient client;

  @BeforeAll
  static void start() {
    server = DemoServer.start("127.0.0.1", 0, false);
    agent = TestAgents.start(server.url());
    client = client(TestAgents.mcpUrl(agent)).build();
    client.initialize();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    TestAgents.stop(agent);
    if (server != null) {
      server.close();
    }
  }

  static McpClient.SyncSpec client(String url) {
    URI uri = URI.create(url);
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(uri.getScheme() + "://" + uri.getAuthority())
            .endpoint(uri.getPath())
            .build();
    return McpClient.sync(transport)
        .requestTimeout(Duration.ofSeconds(20))
        .initializationTimeout(Duration.ofSeconds(20))
        .capabilities(ClientCapabilities.builder().sampling().elicitation().build())
        .sampling(
            request ->
                new CreateMessageResult(
                    Role.ASSISTANT,
                    new TextContent("sampled through the agent"),
                    "fixed-model",
                    CreateMessageResult.StopReason.END_TURN))
        .elicitation(
            request -> new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("answer", "blue")))
        .progressConsumer(progress::add);
  }

  private static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  @Test
  void listsToolsPromptsAndResources() {
    assertThat(client.listTools().tools())
        .extracting(Tool::name)
        .contains("echo", "add", "slow", "fail", "progress", "sample", "elicit");
    assertThat(client.listPrompts().prompts()).isNotEmpty();
    assertThat(client.listResources().resources()).isNotEmpty();
  }

  @Test
  void callsToolsAndReadsResourcesAndPrompts() {
    assertThat(text(client.callTool(new CallToolRequest("echo", Map.of("message", "hi")))))
        .isEqualTo("hi");
    assertThat(text(client.callTool(new CallToolRequest("add", Map.of("a", 2, "b", 3)))))
        .isEqualTo("5");
    CallToolResult failed = client.callTool(new CallToolRequest("fail", Map.of()));
    assertThat(failed.isError()).isTrue();
    var resource = client.readResource(new ReadResourceRequest("demo://greeting"));
    assertThat(((TextResourceContents) resource.contents().get(0)).text()).contains("hello");
    var prompt = client.getPrompt(new GetPromptRequest("greet", Map.of("name", "Ada")));
    assertThat(prompt.messages()).isNotEmpty();
  }

  @Test
  void relaysProgressNotificationsOverSse() {
    int before = progress.size();
    CallToolResult result =
        client.callTool(
            CallToolRequest.builder()
                .name("progress")
                .arguments(Map.of("steps", 3, "intervalMs", 20))
                .progressToken("p-1")
                .build());
    assertThat(text(result)).contains("3");
    await().atMost(Duration.ofSeconds(5)).until(() -> progress.size() - before >= 3);
    assertThat(progress).extracting(ProgressNotification::progressToken).contains("p-1");
  }

  @Test
  void carriesServerToClientRequests() {
    CallToolResult sampled =
        client.callTool(new CallToolRequest("sample", Map.of("prompt", "say something")));
    assertThat(text(sampled)).contains("sampled through the agent");
    CallToolResult elicited =
        client.callTool(new CallToolRequest("elicit", Map.of("message", "favourite colour?")));
    assertThat(text(elicited)).contains("blue");
  }

  @Test
  void opensTheGetStreamAndEndsTheSessionWithDelete() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String init =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    URI uri = URI.create(TestAgents.mcpUrl(agent));
    HttpResponse<String> initialized =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(init))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(initialized.statusCode()).isEqualTo(200);
    String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
    assertThat(initialized.headers().firstValue("X-Request-Id")).isPresent();

    // The SDK server holds a GET stream's headers until it has an event to send, so the stream
    // is opened asynchronously; no timeout of the agent may cut it meanwhile.
    var stream =
        http.sendAsync(
            HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-06-18")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300);
    assertThat(stream).isNotDone();

    HttpResponse<String> deleted =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-06-18")
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).isBetween(200, 204);
    // Ending the session ends its stream, and the end reaches the client through the agent.
    HttpResponse<String> ended = stream.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(ended.statusCode()).isEqualTo(200);
    assertThat(ended.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");

    HttpResponse<String> afterDelete =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", "2025-06-18")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // The server no longer knows the session: its 404 reaches the client unchanged, so the
    // client knows to initialize again.
    assertThat(afterDelete.statusCode()).isEqualTo(404);
  }

  @Test
  void worksWithAStatelessServer() throws Exception {
    DemoServer stateless = DemoServer.start("127.0.0.1", 0, true);
    Agent statelessAgent = TestAgents.start(stateless.url());
    try (McpSyncClient c = client(TestAgents.mcpUrl(statelessAgent)).build()) {
      c.initialize();
      assertThat(text(c.callTool(new CallToolRequest("echo", Map.of("message", "no session")))))
          .isEqualTo("no session");
      HttpResponse<Void> get =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(statelessAgent)))
                      .header("Accept", "text/event-stream")
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      assertThat(get.statusCode()).isEqualTo(405);
    } finally {
      TestAgents.stop(statelessAgent);
      stateless.close();
    }
  }
}
