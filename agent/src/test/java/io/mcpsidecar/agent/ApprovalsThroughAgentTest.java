package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.demo.DemoServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Approvals through a real agent in front of the real demo MCP server, called by the official MCP
 * Java SDK client; decided through the admin API.
 */
class ApprovalsThroughAgentTest {

  static final String TOKEN = "s3cret-admin-token";

  private DemoServer server;
  private Agent agent;
  private McpSyncClient client;
  private final TestClock clock = new TestClock(Instant.parse("2026-12-04T10:00:00Z"));
  private final List<ProgressNotification> progress = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** An approve rule: every call of {@code add} with {@code a} over 100 needs a human. */
  static final String POLICY =
      "policy:\n"
          + "  rules:\n"
          + "    - id: big-sums\n"
          + "      effect: approve\n"
          + "      tools: [\"add\"]\n"
          + "      when: 'double(args.a) > 100.0'\n";

  @BeforeEach
  void start() throws Exception {
    server = DemoServer.start("127.0.0.1", 0, false);
    agent =
        startAgent(TestAgents.configWithAdmin(server.url(), "  token: " + TOKEN + "\n", POLICY));
    client =
        SdkClientThroughAgentTest.client(TestAgents.mcpUrl(agent))
            .progressConsumer(progress::add)
            .build();
    client.initialize();
  }

  Agent startAgent(AgentConfig config) throws Exception {
    return Agent.builder(config)
        .clock(clock)
        .start()
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

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

  private JsonObject callRefused(Map<String, Object> args) {
    McpError error =
        catchThrowableOfType(
            McpError.class, () -> client.callTool(new CallToolRequest("add", args)));
    assertThat(error).as("the call is refused").isNotNull();
    var rpc = error.getJsonRpcError();
    return new JsonObject().put("code", rpc.code()).put("data", JsonObject.mapFrom(rpc.data()));
  }

  HttpResponse<String> admin(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.adminPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonObject decide(String id, String verb, String approver, String reason) throws Exception {
    HttpResponse<String> res =
        admin(
            "POST",
            "/approvals/" + id + "/" + verb,
            new JsonObject().put("approver", approver).put("reason", reason).encode(),
            TOKEN);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new JsonObject(res.body());
  }

  static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  @Test
  void aDeferredCallPassesOnceAfterApprovalAndNeedsANewApprovalThen() throws Exception {
    Map<String, Object> args = Map.of("a", 500, "b", 1);
    JsonObject first = callRefused(args);
    assertThat(first.getInteger("code")).isEqualTo(-32015);
    JsonObject data = first.getJsonObject("data");
    assertThat(data.getString("type")).isEqualTo("approval_required");
    assertThat(data.getString("rule")).isEqualTo("big-sums");
    assertThat(data.getString("state")).isEqualTo("pending");
    String id = data.getString("approvalId");
    assertThat(id).startsWith("apr_");
    assertThat(Instant.parse(data.getString("expiresAt")))
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));

    // Sent again before a decision: the same approval, no duplicate.
    assertThat(callRefused(args).getJsonObject("data").getString("approvalId")).isEqualTo(id);
    JsonObject list = new JsonObject(admin("GET", "/approvals", null, TOKEN).body());
    assertThat(list.getJsonArray("approvals")).hasSize(1);
    JsonObject pending = list.getJsonArray("approvals").getJsonObject(0);
    assertThat(pending.getString("id")).isEqualTo(id);
    assertThat(pending.getString("tool")).isEqualTo("add");
    assertThat(pending.getString("rule")).isEqualTo("big-sums");
    assertThat(pending.getString("tenant")).isEqualTo("anonymous");
    assertThat(pending.getString("argumentsDigest")).hasSize(64);
    assertThat(pending.getJsonObject("arguments").getInteger("a")).isEqualTo(500);

    assertThat(decide(id, "approve", "bob", "checked").getString("state")).isEqualTo("approved");
    // The server was never called before; now the same call passes, once.
    assertThat(text(client.callTool(new CallToolRequest("add", args)))).contains("501");
    JsonObject after = callRefused(args);
    assertThat(after.getInteger("code")).isEqualTo(-32015);
    assertThat(after.getJsonObject("data").getString("approvalId")).isNotEqualTo(id);
    JsonObject used = new JsonObject(admin("GET", "/approvals/" + id, null, TOKEN).body());
    assertThat(used.getString("state")).isEqualTo("used");
    assertThat(used.getString("approver")).isEqualTo("bob");
    // Deciding it again is a conflict.
    assertThat(
            admin("POST", "/approvals/" + id + "/deny", "{\"approver\":\"eve\"}", TOKEN)
                .statusCode())
        .isEqualTo(409);
  }

  @Test
  void changedArgumentsNeedAnApprovalOfTheirOwn() throws Exception {
    String id = callRefused(Map.of("a", 500, "b", 1)).getJsonObject("data").getString("approvalId");
    decide(id, "approve", "bob", null);
    JsonObject other = callRefused(Map.of("a", 500, "b", 2));
    assertThat(other.getInteger("code")).isEqualTo(-32015);
    assertThat(other.getJsonObject("data").getString("approvalId")).isNotEqualTo(id);
    // The same numbers written differently are the same arguments (RFC 8785): 500.0 is 500.
    assertThat(text(client.callTool(new CallToolRequest("add", Map.of("a", 500.0, "b", 1)))))
        .contains("501");
  }

  /** A tools/call of add over plain HTTP in a session of its own: the status and the body. */
  HttpResponse<String> rawCall(Map<String, Object> args) throws Exception {
    String mcp = TestAgents.mcpUrl(agent);
    HttpResponse<String> init =
        http.send(
            HttpRequest.newBuilder(URI.create(mcp))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                            + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    return http.send(
        HttpRequest.newBuilder(URI.create(mcp))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("Mcp-Session-Id", session)
            .header("MCP-Protocol-Version", "2025-06-18")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject()
                        .put("jsonrpc", "2.0")
                        .put("id", 7)
                        .put("method", "tools/call")
                        .put(
                            "params",
                            new JsonObject()
                                .put("name", "add")
                                .put("arguments", new JsonObject(args)))
                        .encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDeniedApprovalAnswersPolicyDeniedWithItsState() throws Exception {
    String id = callRefused(Map.of("a", 700, "b", 1)).getJsonObject("data").getString("approvalId");
    decide(id, "deny", "carol", "not this month");
    // Read over plain HTTP: the wire answer, id included.
    HttpResponse<String> res = rawCall(Map.of("a", 700, "b", 1));
    JsonObject denied = new JsonObject(res.body());
    assertThat(denied.getInteger("id")).isEqualTo(7);
    denied = denied.getJsonObject("error");
    assertThat(denied.getInteger("code")).isEqualTo(-32011);
    JsonObject data = denied.getJsonObject("data");
    assertThat(data.getString("type")).isEqualTo("policy_denied");
    assertThat(data.getString("approvalId")).isEqualTo(id);
    assertThat(data.getString("state")).isEqualTo("denied");
    assertThat(data.getString("approver")).isEqualTo("carol");
    assertThat(data.getString("reason")).isEqualTo("not this month");
    assertThat(data.getString("rule")).isEqualTo("big-sums");
  }

  @Test
  void anExpiredApprovalIsReportedAndAFreshOneOpened() throws Exception {
    String id = callRefused(Map.of("a", 900, "b", 1)).getJsonObject("data").getString("approvalId");
    decide(id, "approve", "bob", null);
    clock.advance(Duration.ofMinutes(15));
    JsonObject expired = callRefused(Map.of("a", 900, "b", 1));
    assertThat(expired.getInteger("code")).isEqualTo(-32015);
    JsonObject data = expired.getJsonObject("data");
    assertThat(data.getString("approvalId")).isNotEqualTo(id);
    assertThat(data.getString("state")).isEqualTo("pending");
    assertThat(data.getJsonObject("previous").getString("approvalId")).isEqualTo(id);
    assertThat(data.getJsonObject("previous").getString("state")).isEqualTo("expired");
  }

  @Test
  void aPendingApprovalNobodyDecidesAgesExpiresAndIsCountedOnce() throws Exception {
    String id = callRefused(Map.of("a", 950, "b", 1)).getJsonObject("data").getString("approvalId");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> RawHttp.metric(agent, "mcp_sidecar_approvals_pending") == 1.0);
    clock.advance(Duration.ofMinutes(10));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                RawHttp.metric(agent, "mcp_sidecar_approvals_oldest_pending_age_seconds") == 600.0);
    clock.advance(Duration.ofMinutes(5));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> RawHttp.metric(agent, "mcp_sidecar_approvals_total{outcome=\"expired\"}") == 1.0);
    assertThat(RawHttp.metric(agent, "mcp_sidecar_approvals_pending")).isZero();
    assertThat(RawHttp.metric(agent, "mcp_sidecar_approvals_oldest_pending_age_seconds")).isZero();
    assertThat(RawHttp.metric(agent, "mcp_sidecar_audit_events_total{type=\"approval_expired\"}"))
        .isEqualTo(1.0);
    JsonObject expired = new JsonObject(admin("GET", "/approvals/" + id, null, TOKEN).body());
    assertThat(expired.getString("state")).isEqualTo("expired");
    assertThat(
            admin("POST", "/approvals/" + id + "/approve", "{\"approver\":\"bob\"}", TOKEN)
                .statusCode())
        .isEqualTo(409);
  }

  @Test
  void aHeldCallHearsProgressThenGetsTheAnswerOnceApproved() throws Exception {
    CompletableFuture<CallToolResult> held =
        CompletableFuture.supplyAsync(
            () ->
                client.callTool(
                    new CallToolRequest(
                        "add", Map.of("a", 300, "b", 3), Map.of("progressToken", "tok-1"))));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> progress.stream().anyMatch(p -> "tok-1".equals(p.progressToken())));
    ProgressNotification note = progress.get(0);
    JsonObject list = new JsonObject(admin("GET", "/approvals", null, TOKEN).body());
    String id = list.getJsonArray("approvals").getJsonObject(0).getString("id");
    assertThat(note.message()).contains(id);
    assertThat(held).isNotDone();
    decide(id, "approve", "bob", null);
    assertThat(text(held.get(10, TimeUnit.SECONDS))).contains("303");
  }

  @Test
  void aHeldCallGetsTheDenialInItsStream() throws Exception {
    CompletableFuture<CallToolResult> held =
        CompletableFuture.supplyAsync(
            () ->
                client.callTool(
                    new CallToolRequest(
                        "add", Map.of("a", 400, "b", 4), Map.of("progressToken", "tok-2"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> !progress.isEmpty());
    String id =
        new JsonObject(admin("GET", "/approvals", null, TOKEN).body())
            .getJsonArray("approvals")
            .getJsonObject(0)
            .getString("id");
    decide(id, "deny", "carol", "no");
    Throwable failure = catchThrowableOfType(Exception.class, () -> held.get(10, TimeUnit.SECONDS));
    McpError error = (McpError) McpError.findRootCause(failure);
    assertThat(error.getJsonRpcError().code()).isEqualTo(-32011);
    assertThat(JsonObject.mapFrom(error.getJsonRpcError().data()).getString("state"))
        .isEqualTo("denied");
  }

  @Test
  void theApprovalsApiNeedsTheToken() throws Exception {
    assertThat(admin("GET", "/approvals", null, null).statusCode()).isEqualTo(401);
    assertThat(admin("GET", "/approvals", null, "wrong").statusCode()).isEqualTo(401);
    assertThat(admin("GET", "/approvals", null, null).headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(
            admin("POST", "/approvals/apr_x/approve", "{\"approver\":\"x\"}", "wrong").statusCode())
        .isEqualTo(401);
    assertThat(admin("GET", "/approvals", null, TOKEN).statusCode()).isEqualTo(200);
    // The probes and /config never ask for it, and /config does not show it.
    assertThat(admin("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> config = admin("GET", "/config", null, null);
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.body()).doesNotContain(TOKEN);
    assertThat(admin("GET", "/approvals/apr_unknown", null, TOKEN).statusCode()).isEqualTo(404);
    assertThat(
            admin("POST", "/approvals/apr_unknown/approve", "{\"approver\":\"x\"}", TOKEN)
                .statusCode())
        .isEqualTo(404);
    String id = callRefused(Map.of("a", 800, "b", 1)).getJsonObject("data").getString("approvalId");
    assertThat(admin("POST", "/approvals/" + id + "/approve", "{}", TOKEN).statusCode())
        .as("approver is required")
        .isEqualTo(400);
    assertThat(admin("POST", "/approvals/" + id + "/approve", "not json", TOKEN).statusCode())
        .isEqualTo(400);
  }
}
