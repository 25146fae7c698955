package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.demo.DemoServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two agents share approvals through a real Redis: approved through one agent's admin API, the call
 * passes on the other, once; and approvals outlive an agent's restart.
 */
class SharedApprovalsThroughRedisTest {

  private static final String TOKEN = "t0ken";
  private TestRedis redis;
  private DemoServer server;
  private Agent one;
  private Agent two;
  private McpSyncClient clientOne;
  private McpSyncClient clientTwo;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    redis = new TestRedis();
    server = DemoServer.start("127.0.0.1", 0, false);
    one = agent();
    two = agent();
    clientOne = client(one);
    clientTwo = client(two);
  }

  Agent agent() throws Exception {
    AgentConfig config =
        TestAgents.configWithAdmin(
            server.url(),
            "  token: " + TOKEN + "\n",
            "limits:\n  redis:\n    url: "
                + redis.url()
                + "\n"
                + ApprovalsThroughAgentTest.POLICY
                + "  approvals:\n    store: redis\n");
    return Agent.builder(config)
        .start()
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  static McpSyncClient client(Agent agent) {
    McpSyncClient client = SdkClientThroughAgentTest.client(TestAgents.mcpUrl(agent)).build();
    client.initialize();
    return client;
  }

  @AfterEach
  void stop() {
    for (McpSyncClient c : new McpSyncClient[] {clientOne, clientTwo}) {
      if (c != null) {
        c.closeGracefully();
      }
    }
    TestAgents.stop(one);
    TestAgents.stop(two);
    if (server != null) {
      server.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static JsonObject refused(McpSyncClient client, Map<String, Object> args) {
    McpError error =
        catchThrowableOfType(
            McpError.class, () -> client.callTool(new CallToolRequest("add", args)));
    assertThat(error).as("the call is refused").isNotNull();
    return JsonObject.mapFrom(error.getJsonRpcError().data())
        .put("code", error.getJsonRpcError().code());
  }

  HttpResponse<String> admin(Agent agent, String method, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.adminPort() + path))
            .header("Authorization", "Bearer " + TOKEN)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void approvedThroughOneAgentTheCallPassesOnTheOtherOnce() throws Exception {
    Map<String, Object> args = Map.of("a", 1000, "b", 5);
    JsonObject deferred = refused(clientTwo, args);
    assertThat(deferred.getInteger("code")).isEqualTo(-32015);
    String id = deferred.getString("approvalId");
    // The same call through the other agent finds the same pending approval.
    assertThat(refused(clientOne, args).getString("approvalId")).isEqualTo(id);
    JsonObject listed = new JsonObject(admin(one, "GET", "/approvals", null).body());
    assertThat(listed.getJsonArray("approvals").getJsonObject(0).getString("id")).isEqualTo(id);

    HttpResponse<String> approved =
        admin(one, "POST", "/approvals/" + id + "/approve", "{\"approver\":\"bob\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

    var result = clientTwo.callTool(new CallToolRequest("add", args));
    assertThat(((TextContent) result.content().get(0)).text()).contains("1005");
    // Used once: neither agent lets it pass again.
    JsonObject again = refused(clientOne, args);
    assertThat(again.getInteger("code")).isEqualTo(-32015);
    assertThat(again.getString("approvalId")).isNotEqualTo(id);
    assertThat(
            new JsonObject(admin(two, "GET", "/approvals/" + id, null).body()).getString("state"))
        .isEqualTo("used");
  }

  @Test
  void aCallHeldOnOneAgentIsReleasedByAnApprovalGrantedThroughTheOther() throws Exception {
    java.util.concurrent.CompletableFuture<io.modelcontextprotocol.spec.McpSchema.CallToolResult>
        held =
            java.util.concurrent.CompletableFuture.supplyAsync(
                () ->
                    clientTwo.callTool(
                        new CallToolRequest(
                            "add", Map.of("a", 3000, "b", 3), Map.of("progressToken", "r-1"))));
    java.util.concurrent.atomic.AtomicReference<String> found =
        new java.util.concurrent.atomic.AtomicReference<>();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () -> {
              var pending =
                  new JsonObject(admin(one, "GET", "/approvals", null).body())
                      .getJsonArray("approvals");
              if (!pending.isEmpty()) {
                found.set(pending.getJsonObject(0).getString("id"));
              }
              return found.get() != null;
            });
    String id = found.get();
    assertThat(id).as("the held call's approval, seen through the other agent").isNotNull();
    assertThat(held).isNotDone();
    assertThat(
            admin(one, "POST", "/approvals/" + id + "/approve", "{\"approver\":\"bob\"}")
                .statusCode())
        .isEqualTo(200);
    var result = held.get(15, TimeUnit.SECONDS);
    assertThat(((TextContent) result.content().get(0)).text()).contains("3003");
  }

  @Test
  void approvalsOutliveAnAgentRestart() throws Exception {
    Map<String, Object> args = Map.of("a", 2000, "b", 1);
    String id = refused(clientOne, args).getString("approvalId");
    clientOne.closeGracefully();
    TestAgents.stop(one);
    one = agent();
    clientOne = client(one);
    HttpResponse<String> approved =
        admin(one, "POST", "/approvals/" + id + "/approve", "{\"approver\":\"bob\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    var result = clientOne.callTool(new CallToolRequest("add", args));
    assertThat(((TextContent) result.content().get(0)).text()).contains("2001");
  }
}
