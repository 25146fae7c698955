package io.mcpsidecar.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.demo.DemoServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The approvals' operations: the CLI, the API switched off, the hold timeout, the notifier. */
class ApprovalsOperationsTest {

  private static final String TOKEN = "cli-t0ken";
  private final DemoServer server = DemoServer.start("127.0.0.1", 0, false);
  private final HttpClient http = HttpClient.newHttpClient();
  private Agent agent;
  private McpSyncClient client;
  private WireMockServer hook;

  @AfterEach
  void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    TestAgents.stop(agent);
    server.close();
    if (hook != null) {
      hook.stop();
    }
  }

  void start(String adminYaml, String extraYaml) throws Exception {
    AgentConfig config =
        TestAgents.configWithAdmin(
            server.url(), adminYaml, ApprovalsThroughAgentTest.POLICY + extraYaml);
    agent =
        Agent.builder(config)
            .start()
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    client = SdkClientThroughAgentTest.client(TestAgents.mcpUrl(agent)).build();
    client.initialize();
  }

  record Run(int exit, String out, String err) {}

  static Run cli(String... args) throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  String deferred(Map<String, Object> args) {
    McpError error =
        catchThrowableOfType(
            McpError.class, () -> client.callTool(new CallToolRequest("add", args)));
    assertThat(error).isNotNull();
    assertThat(error.getJsonRpcError().code()).isEqualTo(-32015);
    return JsonObject.mapFrom(error.getJsonRpcError().data()).getString("approvalId");
  }

  @Test
  void theCliListsAndApprovesAgainstARunningAgent(@TempDir Path dir) throws Exception {
    start("  token: " + TOKEN + "\n", "");
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Path wrongFile = Files.writeString(dir.resolve("wrong"), "nope\n");
    String admin = "http://127.0.0.1:" + agent.adminPort();
    String id = deferred(Map.of("a", 4000, "b", 2));

    Run list = cli("approvals", "list", "--admin", admin, "--token-file", tokenFile.toString());
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains(id).contains("add").contains("big-sums").contains("4000");

    Run wrong = cli("approvals", "list", "--admin", admin, "--token-file", wrongFile.toString());
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("401");

    Run approve =
        cli(
            "approvals",
            "approve",
            id,
            "--admin",
            admin,
            "--token-file",
            tokenFile.toString(),
            "--approver",
            "dana",
            "--reason",
            "ticket 42");
    assertThat(approve.exit()).as(approve.err()).isZero();
    assertThat(approve.out()).contains("approved " + id).contains("dana");
    var result = client.callTool(new CallToolRequest("add", Map.of("a", 4000, "b", 2)));
    assertThat(((TextContent) result.content().get(0)).text()).contains("4002");

    Run again =
        cli("approvals", "deny", id, "--admin", admin, "--token-file", tokenFile.toString());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("409");
    assertThat(cli("approvals", "frobnicate").exit()).isEqualTo(2);
  }

  @Test
  void withoutATokenTheApprovalEndpointsAreOff() throws Exception {
    start("", "");
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.adminPort() + "/approvals"))
                .header("Authorization", "Bearer anything")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(404);
    // Calls that need approval are still deferred: nobody can approve them through this agent.
    deferred(Map.of("a", 101, "b", 0));
  }

  @Test
  void aHeldCallIsAnsweredApprovalRequiredWhenTheHoldTimeoutPasses() throws Exception {
    start("  token: " + TOKEN + "\n", "  approvals:\n    holdTimeout: 1s\n");
    Throwable failure =
        catchThrowableOfType(
            McpError.class,
            () ->
                client.callTool(
                    new CallToolRequest(
                        "add", Map.of("a", 555, "b", 5), Map.of("progressToken", 99))));
    McpError error = (McpError) failure;
    assertThat(error.getJsonRpcError().code()).isEqualTo(-32015);
    JsonObject data = JsonObject.mapFrom(error.getJsonRpcError().data());
    assertThat(data.getString("reason")).isEqualTo("hold_timeout");
    assertThat(data.getString("state")).isEqualTo("pending");
    // The approval stays pending: approved now, the call retried passes.
    HttpResponse<String> approved =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + agent.adminPort()
                            + "/approvals/"
                            + data.getString("approvalId")
                            + "/approve"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"approver\":\"bob\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(approved.statusCode()).isEqualTo(200);
    var result = client.callTool(new CallToolRequest("add", Map.of("a", 555, "b", 5)));
    assertThat(((TextContent) result.content().get(0)).text()).contains("560");
  }

  @Test
  void aNotificationThatFailsEveryRetryIsCountedAndTheCallIsNotHeldUp() throws Exception {
    hook = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    hook.start();
    hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(503)));
    start(
        "  token: " + TOKEN + "\n",
        "  approvals:\n    notify:\n      url: http://127.0.0.1:"
            + hook.port()
            + "/hook\n      retries: 1\n");
    deferred(Map.of("a", 888, "b", 1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> RawHttp.metric(agent, "mcp_sidecar_approvals_notify_failures_total") == 1.0);
    hook.verify(2, postRequestedFor(urlEqualTo("/hook")));
  }

  @Test
  void aHeldCallIsAnsweredWhenTheAgentStartsToShutDown() throws Exception {
    start("  token: " + TOKEN + "\n", "");
    java.util.concurrent.CompletableFuture<Object> held =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                client.callTool(
                    new CallToolRequest(
                        "add", Map.of("a", 666, "b", 6), Map.of("progressToken", "s-1"))));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !new JsonObject(
                        http.send(
                                HttpRequest.newBuilder(
                                        URI.create(
                                            "http://127.0.0.1:" + agent.adminPort() + "/approvals"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body())
                    .getJsonArray("approvals")
                    .isEmpty());
    var stopping = agent.stop();
    Throwable failure = catchThrowableOfType(Exception.class, () -> held.get(10, TimeUnit.SECONDS));
    McpError error = (McpError) McpError.findRootCause(failure);
    assertThat(error.getJsonRpcError().code()).isEqualTo(-32015);
    assertThat(JsonObject.mapFrom(error.getJsonRpcError().data()).getString("reason"))
        .isEqualTo("shutting_down");
    stopping.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    agent = null;
  }

  @Test
  void eachNewPendingApprovalIsPostedToTheHookWithRetries() throws Exception {
    hook = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    hook.start();
    hook.stubFor(
        post(urlEqualTo("/hook"))
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("once"));
    hook.stubFor(
        post(urlEqualTo("/hook"))
            .inScenario("flaky")
            .whenScenarioStateIs("once")
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("twice"));
    hook.stubFor(
        post(urlEqualTo("/hook"))
            .inScenario("flaky")
            .whenScenarioStateIs("twice")
            .willReturn(aResponse().withStatus(204)));
    start(
        "  token: " + TOKEN + "\n",
        "  approvals:\n    notify:\n      url: http://127.0.0.1:"
            + hook.port()
            + "/hook\n      retries: 3\n");
    long before = System.nanoTime();
    String id = deferred(Map.of("a", 777, "b", 1));
    // The call was answered at once, without waiting for the hook.
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                hook.verify(
                    3,
                    postRequestedFor(urlEqualTo("/hook"))
                        .withHeader("Content-Type", equalTo("application/json"))
                        .withRequestBody(matchingJsonPath("$.approval.id", equalTo(id)))
                        .withRequestBody(matchingJsonPath("$.approval.tool", equalTo("add")))));
    assertThat(RawHttp.metric(agent, "mcp_sidecar_approvals_notify_failures_total")).isEqualTo(0.0);
    assertThat(RawHttp.metric(agent, "mcp_sidecar_approvals_total{outcome=\"requested\"}"))
        .isEqualTo(1.0);
  }
}
