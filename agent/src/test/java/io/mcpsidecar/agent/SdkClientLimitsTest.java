package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mcpsidecar.demo.DemoServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end with the official MCP Java SDK client, through a real agent, to a real SDK-built
 * server: a tenant limited to 10 calls gets the documented error on its 11th, with Retry-After,
 * while another tenant is unaffected.
 */
class SdkClientLimitsTest {

  static DemoServer server;
  static Agent agent;

  @BeforeAll
  static void start() {
    server = DemoServer.start("127.0.0.1", 0, false);
    agent =
        TestAgents.start(
            TestAgents.config(
                server.url(),
                "identity:\n  apiKeys:\n    - {key: key-a, tenant: tenant-a}\n"
                    + "    - {key: key-b, tenant: tenant-b}\n  anonymous: {allowed: false}\n"
                    + "limits:\n  requests: {limit: 10, interval: 1h}\n"));
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(agent);
    if (server != null) {
      server.close();
    }
  }

  static McpSyncClient client(String apiKey) {
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

  static CallToolRequest echo() {
    return new CallToolRequest("echo", Map.of("message", "hi"));
  }

  @Test
  void theEleventhCallOfATenantLimitedToTenIsRefusedAndOthersAreNot() throws Exception {
    McpSyncClient a = client("key-a");
    McpSyncClient b = client("key-b");
    try {
      for (int i = 0; i < 10; i++) {
        assertThat(a.callTool(echo()).isError()).isNotEqualTo(Boolean.TRUE);
      }

      Throwable eleventh = catchThrowable(() -> a.callTool(echo()));

      assertThat(eleventh).as("the SDK surfaces the refusal").isNotNull();
      // The SDK reports a non-2xx answer as a transport error carrying the status and our body.
      assertThat(eleventh.toString() + causes(eleventh)).contains("429").contains("-32012");
      assertThat(b.callTool(echo()).isError()).as("another tenant").isNotEqualTo(Boolean.TRUE);

      HttpResponse<String> raw = rawCall("key-a");
      assertThat(raw.statusCode()).isEqualTo(429);
      assertThat(Long.parseLong(raw.headers().firstValue("Retry-After").orElseThrow()))
          .isBetween(1L, 360L);
      assertThat(raw.headers().firstValue("RateLimit-Policy")).hasValue("\"requests\";q=10;w=3600");
      JsonObject error = new JsonObject(raw.body()).getJsonObject("error");
      assertThat(error.getInteger("code")).isEqualTo(-32012);
      JsonObject data = error.getJsonObject("data");
      assertThat(data.getString("type")).isEqualTo("rate_limited");
      assertThat(data.getString("scope")).isEqualTo("requests");
      assertThat(data.getLong("limit")).isEqualTo(10);
      assertThat(data.getLong("remaining")).isZero();
      assertThat(data.getLong("retryAfterMs")).isPositive();
      assertThat(new JsonObject(raw.body()).getInteger("id")).isEqualTo(99);
    } finally {
      a.closeGracefully();
      b.closeGracefully();
    }
  }

  static String causes(Throwable t) {
    StringBuilder out = new StringBuilder();
    for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
      out.append(" / ").append(c);
    }
    return out.toString();
  }

  static HttpResponse<String> rawCall(String apiKey) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("X-API-Key", apiKey)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tools/call\","
                            + "\"params\":{\"name\":\"echo\",\"arguments\":{}}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
