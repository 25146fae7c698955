package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.mcpsidecar.demo.DemoServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policies as the official MCP Java SDK client sees them, through a real agent to a real SDK-built
 * MCP server: lists without the hidden tools, refusals of hidden and missing tools alike, and a
 * reload of the rules while a call is in flight.
 */
class PolicySdkClientTest {

  @TempDir Path dir;
  DemoServer server;
  Agent agent;
  Path file;

  String config(String rules) {
    return "listen: {host: 127.0.0.1, port: 0}\nadmin: {host: 127.0.0.1, port: 0}\n"
        + "upstream: {url: \""
        + server.url()
        + "\"}\n"
        + "identity:\n  apiKeys:\n    - {key: key-a, tenant: tenant-a, subject: ada}\n"
        + "    - {key: key-b, tenant: tenant-b}\n  anonymous: {allowed: false}\n"
        + "policy:\n  rules:\n"
        + rules;
  }

  static final String HIDE_FAIL_AND_SAMPLE =
      "    - {id: no-risky-tools, effect: deny, tenants: [tenant-a],"
          + " tools: [fail, sample, \"no_such_*\"]}\n";

  @BeforeEach
  void start() throws Exception {
    server = DemoServer.start("127.0.0.1", 0, false);
    file = dir.resolve("config.yaml");
    Files.writeString(file, config(HIDE_FAIL_AND_SAMPLE));
    AgentConfig initial = ((ConfigResult.Valid) ConfigLoader.load(file)).config();
    agent =
        StubUpstream.await(
            Agent.start(
                initial, new Agent.Reload(file, Duration.ofMillis(20), Duration.ofMillis(20))));
  }

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    if (server != null) {
      server.close();
    }
  }

  McpSyncClient client(String apiKey) {
    URI uri = URI.create(TestAgents.mcpUrl(agent));
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(uri.getScheme() + "://" + uri.getAuthority())
            .endpoint(uri.getPath())
            .httpRequestCustomizer(
                (request, method, endpoint, body, context) -> request.header("X-API-Key", apiKey))
            .build();
    McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(20))
            .initializationTimeout(Duration.ofSeconds(20))
            .build();
    client.initialize();
    return client;
  }

  @Test
  void theSdkListsOnlyWhatTheTenantMayCallAndIsRefusedTheRest() {
    McpSyncClient a = client("key-a");
    McpSyncClient b = client("key-b");
    try {
      assertThat(a.listTools().tools())
          .extracting(Tool::name)
          .contains("echo", "add", "slow")
          .doesNotContain("fail", "sample");
      assertThat(b.listTools().tools()).extracting(Tool::name).contains("fail", "sample");

      Throwable hidden = catchThrowable(() -> a.callTool(new CallToolRequest("fail", Map.of())));
      Throwable missing = catchThrowable(() -> a.callTool(new CallToolRequest("sample", Map.of())));
      // The SDK surfaces the JSON-RPC error with its code and data, so the model can learn which
      // rule refused; a hidden tool and a missing one get the same error.
      assertThat(hidden).isInstanceOf(McpError.class);
      McpSchema.JSONRPCResponse.JSONRPCError error = ((McpError) hidden).getJsonRpcError();
      assertThat(error.code()).isEqualTo(-32011);
      assertThat(String.valueOf(error.data())).contains("policy_denied").contains("no-risky-tools");
      assertThat(missing).isInstanceOf(McpError.class);
      McpSchema.JSONRPCResponse.JSONRPCError other = ((McpError) missing).getJsonRpcError();
      assertThat(other.code()).isEqualTo(error.code());
      assertThat(other.message()).isEqualTo(error.message());
      assertThat(String.valueOf(other.data())).contains("no-risky-tools");
      assertThat(a.callTool(new CallToolRequest("echo", Map.of("message", "hi"))).isError())
          .isNotEqualTo(Boolean.TRUE);
    } finally {
      a.closeGracefully();
      b.closeGracefully();
    }
  }

  @Test
  void aReloadChangesTheRulesForNewCallsAndLeavesCallsInFlightAlone() throws Exception {
    McpSyncClient a = client("key-a");
    try {
      CompletableFuture<CallToolResult> inFlight =
          CompletableFuture.supplyAsync(
              () -> a.callTool(new CallToolRequest("slow", Map.of("ms", 1500))));
      Thread.sleep(300); // the slow call has reached the server
      long before = agent.config().snapshot().generation();
      Files.writeString(
          file,
          config(
              HIDE_FAIL_AND_SAMPLE
                  + "    - {id: no-slow, effect: deny, tenants: [tenant-a], tools: [slow]}\n"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> agent.config().snapshot().generation() > before);

      Throwable refused =
          catchThrowable(() -> a.callTool(new CallToolRequest("slow", Map.of("ms", 1))));
      assertThat(refused).isInstanceOf(McpError.class);
      assertThat(((McpError) refused).getJsonRpcError().code()).isEqualTo(-32011);
      assertThat(a.listTools().tools()).extracting(Tool::name).doesNotContain("slow");
      CallToolResult finished = inFlight.get();
      assertThat(finished.isError()).isNotEqualTo(Boolean.TRUE);
    } finally {
      a.closeGracefully();
    }
  }
}
