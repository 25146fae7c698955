package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 2025-03-26 batch with a request that needs approval: that request is answered by the agent, the
 * rest goes to the server, and the client gets one array with every answer.
 */
class ApprovalBatchesTest {

  private static final String TOKEN = "batch-t0ken";
  private static final String BATCH =
      "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
          + "\"arguments\":{\"message\":\"hi\"}}},"
          + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"add\","
          + "\"arguments\":{\"a\":500,\"b\":1}}}]";
  private final StubUpstream upstream = new StubUpstream();
  private final HttpClient http = HttpClient.newHttpClient();
  private Agent agent;

  @BeforeEach
  void start() throws Exception {
    // The server answers every request of a batch with a result naming its id.
    upstream.handle(
        req -> {
          String body = upstream.received().get(upstream.received().size() - 1).body();
          JsonArray answers = new JsonArray();
          for (Object m : new JsonArray(body)) {
            Object id = ((JsonObject) m).getValue("id");
            answers.add(
                new JsonObject()
                    .put("jsonrpc", "2.0")
                    .put("id", id)
                    .put("result", new JsonObject().put("served", id)));
          }
          req.response().putHeader("Content-Type", "application/json").end(answers.encode());
        });
    agent =
        Agent.builder(
                TestAgents.configWithAdmin(
                    upstream.url(), "  token: " + TOKEN + "\n", ApprovalsThroughAgentTest.POLICY))
            .start()
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  Map<Integer, JsonObject> post() throws Exception {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(BATCH))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    Map<Integer, JsonObject> byId = new HashMap<>();
    for (Object answer : new JsonArray(res.body())) {
      byId.put(((JsonObject) answer).getInteger("id"), (JsonObject) answer);
    }
    return byId;
  }

  @Test
  void theRequestThatNeedsApprovalIsAnsweredByTheAgentAndTheRestByTheServer() throws Exception {
    Map<Integer, JsonObject> first = post();
    assertThat(first).containsOnlyKeys(1, 2);
    assertThat(first.get(1).getJsonObject("result").getInteger("served")).isEqualTo(1);
    JsonObject error = first.get(2).getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(-32015);
    String id = error.getJsonObject("data").getString("approvalId");
    assertThat(upstream.received()).hasSize(1);
    assertThat(new JsonArray(upstream.received().get(0).body())).hasSize(1);

    HttpResponse<String> approved =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + agent.adminPort() + "/approvals/" + id + "/approve"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"approver\":\"bob\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(approved.statusCode()).isEqualTo(200);

    Map<Integer, JsonObject> second = post();
    assertThat(second.get(2).getJsonObject("result").getInteger("served")).isEqualTo(2);
    assertThat(new JsonArray(upstream.received().get(1).body())).hasSize(2);
    assertThat(
            RawHttp.metric(
                agent,
                "mcp_sidecar_policy_decisions_total{decision=\"approved_use\","
                    + "rule=\"big-sums\",tenant=\"anonymous\"}"))
        .isEqualTo(1.0);
  }
}
