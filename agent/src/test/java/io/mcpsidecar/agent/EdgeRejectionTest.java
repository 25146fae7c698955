package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every request the agent refuses at the edge gets a well-formed JSON-RPC error with a documented
 * code, the request id where there is one, and never reaches the server.
 */
class EdgeRejectionTest {

  private static final String TOOLS_CALL =
      "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
          + "\"arguments\":{\"message\":\"hi\"}}}";
  private static StubUpstream upstream;
  private static Agent agent;
  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    upstream = new StubUpstream();
    agent =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                "edge:\n  maxBodyBytes: 2048\n  allowedOrigins: [\"https://app.example.com\"]\n"
                    + "  maxHeaderCount: 20\n"));
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  @BeforeEach
  void answerOk() {
    upstream.received().clear();
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":42,\"result\":{\"content\":[]}}"));
  }

  private static HttpResponse<String> post(String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject error(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("jsonrpc")).isEqualTo("2.0");
    JsonObject error = body.getJsonObject("error");
    assertThat(error.getJsonObject("data").getString("requestId"))
        .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    return body;
  }

  @Test
  void passesAValidCallThroughWithForwardingHeaders() throws Exception {
    HttpResponse<String> response =
        post(TOOLS_CALL, "X-Request-Id", "req-123", "Authorization", "Bearer t", "X-Custom", "v");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-123");
    StubUpstream.Received received = upstream.received().get(0);
    assertThat(received.body()).isEqualTo(TOOLS_CALL);
    assertThat(received.headers().get("Authorization")).isEqualTo("Bearer t");
    assertThat(received.headers().get("X-Custom")).isEqualTo("v");
    assertThat(received.headers().get("X-Request-Id")).isEqualTo("req-123");
    assertThat(received.headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(received.headers().get("Forwarded")).startsWith("for=127.0.0.1;host=");
    assertThat(received.headers().get("Host")).isEqualTo("127.0.0.1:" + upstream.port());
  }

  @Test
  void refusesMalformedJsonWithParseError() throws Exception {
    HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject body = error(response);
    assertThat(body.getValue("id")).isNull();
    assertThat(body.getJsonObject("error").getInteger("code")).isEqualTo(-32700);
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void refusesJsonThatIsNotJsonRpcWithInvalidRequestAndTheId() throws Exception {
    HttpResponse<String> response = post("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"ping\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject body = error(response);
    assertThat(body.getInteger("id")).isEqualTo(7);
    assertThat(body.getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void refusesAnOversizeBodyWith413() throws Exception {
    String big =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
            + "\"arguments\":{\"message\":\""
            + "x".repeat(4096)
            + "\"}}}";
    HttpResponse<String> response = post(big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(error(response).getJsonObject("error").getInteger("code")).isEqualTo(-32002);
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void refusesAForeignOriginWith403AndAllowsLocalhostAndListedOrigins() throws Exception {
    HttpResponse<String> foreign = post(TOOLS_CALL, "Origin", "https://evil.example.net");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(error(foreign).getJsonObject("error").getInteger("code")).isEqualTo(-32003);
    assertThat(upstream.received()).isEmpty();
    assertThat(post(TOOLS_CALL, "Origin", "http://localhost:6274").statusCode()).isEqualTo(200);
    assertThat(post(TOOLS_CALL, "Origin", "https://app.example.com").statusCode()).isEqualTo(200);
  }

  @Test
  void refusesTooManyHeadersWith431() throws Exception {
    String[] headers = new String[60];
    for (int i = 0; i < 30; i++) {
      headers[2 * i] = "X-Filler-" + i;
      headers[2 * i + 1] = "v";
    }
    HttpResponse<String> response = post(TOOLS_CALL, headers);
    assertThat(response.statusCode()).isEqualTo(431);
    assertThat(error(response).getJsonObject("error").getInteger("code")).isEqualTo(-32004);
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void refusesBatchesInErasThatForbidThem() throws Exception {
    String batch =
        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
            + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}]";
    HttpResponse<String> refused = post(batch, "MCP-Protocol-Version", "2025-06-18");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(error(refused).getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    assertThat(upstream.received()).isEmpty();
    // 2025-03-26 allows batches: forwarded untouched.
    assertThat(post(batch, "MCP-Protocol-Version", "2025-03-26").statusCode()).isEqualTo(200);
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void refusesStatelessRequestsWhoseHeadersDisagreeWithTheBody() throws Exception {
    HttpResponse<String> wrongName =
        post(
            TOOLS_CALL,
            "MCP-Protocol-Version",
            "2026-07-28",
            "Mcp-Method",
            "tools/call",
            "Mcp-Name",
            "delete_everything");
    assertThat(wrongName.statusCode()).isEqualTo(400);
    JsonObject body = error(wrongName);
    assertThat(body.getInteger("id")).isEqualTo(42);
    assertThat(body.getJsonObject("error").getInteger("code")).isEqualTo(-32020);

    HttpResponse<String> wrongMethod =
        post(
            TOOLS_CALL,
            "MCP-Protocol-Version",
            "2026-07-28",
            "Mcp-Method",
            "tools/list",
            "Mcp-Name",
            "echo");
    assertThat(wrongMethod.statusCode()).isEqualTo(400);
    HttpResponse<String> missing = post(TOOLS_CALL, "MCP-Protocol-Version", "2026-07-28");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(upstream.received()).isEmpty();

    String encoded = Base64.getEncoder().encodeToString("echo".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> base64 =
        post(
            TOOLS_CALL,
            "MCP-Protocol-Version",
            "2026-07-28",
            "Mcp-Method",
            "tools/call",
            "Mcp-Name",
            "=?base64?" + encoded + "?=");
    assertThat(base64.statusCode()).isEqualTo(200);
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void keepsAnUpstreamSessionNotFoundAs404() throws Exception {
    upstream.handle(
        req ->
            req.response()
                .setStatusCode(404)
                .putHeader("Content-Type", "application/json")
                .end(
                    "{\"jsonrpc\":\"2.0\",\"id\":42,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}"));
    HttpResponse<String> response =
        post(TOOLS_CALL, "Mcp-Session-Id", "gone", "MCP-Protocol-Version", "2025-06-18");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("Session not found");
  }

  @Test
  void answers504WithTheIdWhenTheServerIsTooSlow() throws Exception {
    Agent slow =
        TestAgents.start(
            TestAgents.config(
                upstream.url(), "  connectTimeout: 200ms\n  responseTimeout: 300ms\n"));
    try {
      upstream.handle(req -> {}); // never answers
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(slow)))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(TOOLS_CALL))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(504);
      JsonObject body = error(response);
      assertThat(body.getInteger("id")).isEqualTo(42);
      assertThat(body.getJsonObject("error").getInteger("code")).isEqualTo(-32001);
    } finally {
      TestAgents.stop(slow);
    }
  }

  @Test
  void answers502WithTheIdWhenTheServerIsDown() throws Exception {
    Agent orphan = TestAgents.start("http://127.0.0.1:1/mcp");
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(orphan)))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(TOOLS_CALL))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(502);
      JsonObject body = error(response);
      assertThat(body.getInteger("id")).isEqualTo(42);
      assertThat(body.getJsonObject("error").getInteger("code")).isEqualTo(-32000);
    } finally {
      TestAgents.stop(orphan);
    }
  }

  @Test
  void refusesNonJsonContentWith415() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(error(response).getJsonObject("error").getInteger("code")).isEqualTo(-32006);
  }
}
