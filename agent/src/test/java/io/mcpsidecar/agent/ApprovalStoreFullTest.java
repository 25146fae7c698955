package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A full approval store refuses new approval requests and keeps the pending ones working. */
class ApprovalStoreFullTest {

  private final StubUpstream upstream = new StubUpstream();
  private final HttpClient http = HttpClient.newHttpClient();
  private Agent agent;

  @BeforeEach
  void start() throws Exception {
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
    agent =
        Agent.builder(
                TestAgents.configWithAdmin(
                    upstream.url(),
                    "  token: full-t0ken\n",
                    ApprovalsThroughAgentTest.POLICY + "  approvals:\n    maxPending: 1\n"))
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

  HttpResponse<String> add(int a) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                        + "{\"name\":\"add\",\"arguments\":{\"a\":"
                        + a
                        + ",\"b\":1}}}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aNewApprovalIsRefusedOverloadedWhileThePendingOneKeepsWorking() throws Exception {
    HttpResponse<String> first = add(200);
    assertThat(first.statusCode()).isEqualTo(200);
    String id =
        new JsonObject(first.body())
            .getJsonObject("error")
            .getJsonObject("data")
            .getString("approvalId");

    HttpResponse<String> second = add(300);
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(second.headers().firstValue("Retry-After")).hasValue("30");
    JsonObject error = new JsonObject(second.body()).getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(-32019);
    assertThat(error.getJsonObject("data").getString("reason")).isEqualTo("approvals_full");
    assertThat(error.getJsonObject("data").getInteger("maxPending")).isEqualTo(1);

    // The pending one: found again, approved, used.
    assertThat(add(200).body()).contains(id);
    http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + agent.adminPort() + "/approvals/" + id + "/approve"))
            .header("Authorization", "Bearer full-t0ken")
            .POST(HttpRequest.BodyPublishers.ofString("{\"approver\":\"bob\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonObject(add(200).body()).containsKey("result")).isTrue();
    // Room again: the other call opens its approval now.
    assertThat(new JsonObject(add(300).body()).getJsonObject("error").getInteger("code"))
        .isEqualTo(-32015);
    assertThat(upstream.received()).hasSize(1);
    assertThat(RawHttp.metric(agent, "mcp_sidecar_approvals_total{outcome=\"refused_full\"}"))
        .isEqualTo(1.0);
  }
}
