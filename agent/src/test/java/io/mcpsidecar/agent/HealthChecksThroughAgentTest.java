package io.mcpsidecar.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dependency checks through a real agent: WireMock for HTTP dependencies that misbehave, a TCP
 * server that accepts and never answers, a name that does not resolve; readiness, fail-fast answers
 * and metrics follow the checks.
 */
class HealthChecksThroughAgentTest {

  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final Duration WAIT = Duration.ofSeconds(30);

  WireMockServer deps;
  StubUpstream upstream;
  Agent agent;

  @BeforeEach
  void start() {
    deps = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    deps.start();
    up("/orders");
    up("/payments");
    upstream = new StubUpstream();
    upstream.handle(
        req -> {
          String body = upstream.received().get(upstream.received().size() - 1).body();
          Object id = body.startsWith("{") ? new JsonObject(body).getValue("id") : 1;
          req.response()
              .putHeader("Content-Type", "application/json")
              .end(
                  new JsonObject()
                      .put("jsonrpc", "2.0")
                      .put("id", id)
                      .put(
                          "result",
                          new JsonObject()
                              .put(
                                  "content",
                                  new JsonArray()
                                      .add(
                                          new JsonObject()
                                              .put("type", "text")
                                              .put("text", "from the server"))))
                      .encode());
        });
  }

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    upstream.close();
    deps.stop();
  }

  private void up(String path) {
    deps.stubFor(
        get(urlEqualTo(path))
            .willReturn(aResponse().withStatus(200).withBody("{\"status\":\"UP\"}")));
  }

  private Agent agent(String dependencies) {
    String yaml =
        "health:\n  server:\n    check: tcp\n    interval: 200ms\n    timeout: 150ms\n"
            + "  dependencies:\n"
            + dependencies;
    agent = TestAgents.start(TestAgents.config(upstream.url(), yaml));
    return agent;
  }

  private String httpDependency(String name, String path, String extra) {
    return "    - name: "
        + name
        + "\n      http:\n        url: http://127.0.0.1:"
        + deps.port()
        + path
        + "\n        expectBody: '\"UP\"'\n"
        + "      interval: 200ms\n      timeout: 150ms\n"
        + extra;
  }

  static HttpResponse<String> admin(Agent agent, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.adminPort() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject check(Agent agent, String name) throws Exception {
    return new JsonObject(admin(agent, "/readyz").body())
        .getJsonObject("checks")
        .getJsonObject(name);
  }

  static String state(Agent agent, String name) throws Exception {
    JsonObject check = check(agent, name);
    return check == null ? null : check.getString("state");
  }

  static HttpResponse<String> post(Agent agent, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String call(Object id, String tool) {
    return new JsonObject()
        .put("jsonrpc", "2.0")
        .put("id", id)
        .put("method", "tools/call")
        .put("params", new JsonObject().put("name", tool).put("arguments", new JsonObject()))
        .encode();
  }

  private long toolCallsSeen(String tool) {
    return upstream.received().stream().filter(r -> r.body().contains("\"" + tool + "\"")).count();
  }

  @Test
  void aToolOfADownDependencyIsAnsweredWithAToolErrorAndNeverReachesTheServer() throws Exception {
    agent(httpDependency("orders-db", "/orders", "      tools: [orders_*]\n"));
    await().atMost(WAIT).until(() -> "up".equals(state(agent, "orders-db")));
    assertThat(new JsonObject(post(agent, call(1, "orders_list")).body()).encode())
        .contains("from the server");
    assertThat(toolCallsSeen("orders_list")).isEqualTo(1);

    deps.stubFor(get(urlEqualTo("/orders")).willReturn(aResponse().withStatus(500)));
    await().atMost(WAIT).until(() -> "down".equals(state(agent, "orders-db")));
    JsonObject check = check(agent, "orders-db");
    assertThat(check.getInteger("consecutiveFailures")).isGreaterThanOrEqualTo(3);
    assertThat(check.getString("lastError")).contains("HTTP 500");
    assertThat(check.getString("lastSuccess")).isNotNull();
    assertThat(check.getBoolean("critical")).isFalse();
    assertThat(check.getJsonArray("tools").getList()).containsExactly("orders_*");
    assertThat(admin(agent, "/readyz").statusCode()).as("not critical").isEqualTo(200);
    assertThat(
            RawHttp.metric(
                agent, "mcp_sidecar_dependency_up{critical=\"false\",dependency=\"orders-db\"}"))
        .isEqualTo(0);
    assertThat(
            RawHttp.metric(
                agent,
                "mcp_sidecar_dependency_transitions_total{dependency=\"orders-db\",to=\"down\"}"))
        .isEqualTo(1);

    HttpResponse<String> failed = post(agent, call("a-7", "orders_list"));
    assertThat(failed.statusCode()).isEqualTo(200);
    JsonObject answer = new JsonObject(failed.body());
    assertThat(answer.getString("id")).isEqualTo("a-7");
    JsonObject result = answer.getJsonObject("result");
    assertThat(result.getBoolean("isError")).isTrue();
    assertThat(result.getJsonArray("content").getJsonObject(0).getString("type")).isEqualTo("text");
    assertThat(result.getJsonArray("content").getJsonObject(0).getString("text"))
        .contains("orders-db is unavailable")
        .contains("orders_list");
    assertThat(toolCallsSeen("orders_list")).as("never reached the server").isEqualTo(1);
    assertThat(
            RawHttp.metric(
                agent, "mcp_sidecar_dependency_fail_fast_total{dependency=\"orders-db\"}"))
        .isEqualTo(1);
    assertThat(admin(agent, "/metrics").body().lines())
        .as("counted as a tool error, not as a call left unanswered")
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("mcp_server_operation_duration_seconds_count{")
                    .contains("gen_ai_tool_name=\"orders_list\"")
                    .contains("outcome=\"tool_error\"")
                    .endsWith(" 1"))
        .noneSatisfy(
            line ->
                assertThat(line)
                    .startsWith("mcp_server_operation_duration_seconds_count{")
                    .contains("outcome=\"cancelled\""));
    // other tools are not affected
    assertThat(post(agent, call(2, "echo")).body()).contains("from the server");

    up("/orders");
    await().atMost(WAIT).until(() -> "up".equals(state(agent, "orders-db")));
    assertThat(post(agent, call(3, "orders_list")).body()).contains("from the server");
    assertThat(toolCallsSeen("orders_list")).isEqualTo(2);
    assertThat(
            RawHttp.metric(
                agent, "mcp_sidecar_dependency_up{critical=\"false\",dependency=\"orders-db\"}"))
        .isEqualTo(1);
  }

  @Test
  void aCriticalDependencyPastItsTimeoutFailsReadinessAndItsToolsGetDegraded() throws Exception {
    agent(
        httpDependency(
            "payments",
            "/payments",
            "      critical: true\n      tools: [charge_*]\n      whenDown: error\n"));
    await().atMost(WAIT).until(() -> admin(agent, "/readyz").statusCode() == 200);

    deps.stubFor(
        get(urlEqualTo("/payments"))
            .willReturn(
                aResponse().withStatus(200).withBody("{\"status\":\"UP\"}").withFixedDelay(1000)));
    await().atMost(WAIT).until(() -> admin(agent, "/readyz").statusCode() == 503);
    JsonObject check = check(agent, "payments");
    assertThat(check.getString("state")).isEqualTo("down");
    assertThat(check.getString("lastError")).contains("no answer within 150 ms");
    assertThat(check(agent, "upstream").getString("state")).isEqualTo("up");

    HttpResponse<String> refused = post(agent, call(41, "charge_card"));
    assertThat(refused.statusCode()).isEqualTo(503);
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 2L);
    JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
    assertThat(new JsonObject(refused.body()).getInteger("id")).isEqualTo(41);
    assertThat(error.getInteger("code")).isEqualTo(-32016);
    JsonObject data = error.getJsonObject("data");
    assertThat(data.getString("type")).isEqualTo("degraded");
    assertThat(data.getString("reason")).isEqualTo("dependency_down");
    assertThat(data.getString("dependency")).isEqualTo("payments");
    assertThat(data.getLong("retryAfterMs")).isBetween(1000L, 2000L);
    assertThat(toolCallsSeen("charge_card")).isZero();

    up("/payments");
    await().atMost(WAIT).until(() -> admin(agent, "/readyz").statusCode() == 200);
    assertThat(post(agent, call(42, "charge_card")).body()).contains("from the server");
  }

  @Test
  void connectionResetsSlowBodiesSilentServersAndUnknownNamesAreDown() throws Exception {
    deps.stubFor(
        get(urlEqualTo("/reset"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    deps.stubFor(
        get(urlEqualTo("/slow"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody("{\"status\":\"UP\"}")
                    .withChunkedDribbleDelay(5, 2000)));
    try (SilentServer silent = new SilentServer()) {
      agent(
          httpDependency("reset", "/reset", "")
              + httpDependency("slow", "/slow", "")
              + "    - name: silent-http\n      http:\n        url: http://127.0.0.1:"
              + silent.port()
              + "/health\n      interval: 200ms\n      timeout: 150ms\n"
              + "    - name: silent-tcp\n      tcp: 127.0.0.1:"
              + silent.port()
              + "\n      interval: 200ms\n      timeout: 150ms\n"
              + "    - name: nowhere\n      dns: nonexistent.invalid\n"
              + "      interval: 200ms\n      timeout: 150ms\n"
              + "    - name: here\n      dns: localhost\n      interval: 200ms\n      timeout: 150ms\n");
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(state(agent, "reset")).isEqualTo("down");
                assertThat(state(agent, "slow")).isEqualTo("down");
                assertThat(state(agent, "silent-http")).isEqualTo("down");
                assertThat(state(agent, "nowhere")).isEqualTo("down");
                assertThat(state(agent, "silent-tcp")).as("it does accept").isEqualTo("up");
                assertThat(state(agent, "here")).isEqualTo("up");
              });
      assertThat(check(agent, "slow").getString("lastError")).contains("no answer within");
      assertThat(check(agent, "silent-http").getString("lastError")).contains("no answer within");
      assertThat(check(agent, "nowhere").getString("kind")).isEqualTo("dns");
      assertThat(check(agent, "nowhere").getString("lastError")).contains("nonexistent.invalid");
      assertThat(admin(agent, "/readyz").statusCode()).as("none is critical").isEqualTo(200);
      // checks go on while down, on their interval
      await()
          .atMost(WAIT)
          .until(
              () ->
                  RawHttp.metric(
                          agent,
                          "mcp_sidecar_dependency_check_duration_seconds_count{dependency=\"reset\"}")
                      >= 3);
    }
  }

  @Test
  void aBatchIsAnsweredCallByCall() throws Exception {
    deps.stubFor(get(urlEqualTo("/orders")).willReturn(aResponse().withStatus(503)));
    agent(httpDependency("orders-db", "/orders", "      tools: [orders_*]\n"));
    await().atMost(WAIT).until(() -> "down".equals(state(agent, "orders-db")));
    HttpResponse<String> answer =
        post(agent, "[" + call(1, "orders_list") + "," + call(2, "echo") + "]");
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonArray answers = new JsonArray(answer.body());
    assertThat(answers).hasSize(2);
    assertThat(answers.getJsonObject(0).getInteger("id")).isEqualTo(1);
    assertThat(answers.getJsonObject(0).getJsonObject("result").getBoolean("isError")).isTrue();
    assertThat(answers.getJsonObject(1).getInteger("id")).isEqualTo(2);
    JsonObject notSent = answers.getJsonObject(1).getJsonObject("error");
    assertThat(notSent.getInteger("code")).isEqualTo(-32016);
    assertThat(notSent.getJsonObject("data").getString("reason")).isEqualTo("batch_not_sent");
    assertThat(toolCallsSeen("orders_list")).isZero();
  }

  @Test
  void theJwksEndpointAndTheCollectorAreReportedButNeverFailReadiness() throws Exception {
    deps.stubFor(get(urlEqualTo("/jwks.json")).willReturn(aResponse().withStatus(503)));
    agent =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                "health:\n  server:\n    check: tcp\n"
                    + "identity:\n  jwt:\n    enabled: true\n    jwksUrl: http://127.0.0.1:"
                    + deps.port()
                    + "/jwks.json\n    issuer: https://idp.example\n    audiences: [mcp]\n"
                    + "    jwksTimeout: 5s\n"
                    + "telemetry:\n  tracing: {enabled: true, endpoint: \"http://127.0.0.1:1\"}\n"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(state(agent, "jwks")).isEqualTo("down");
              assertThat(state(agent, "otlp-collector")).isEqualTo("down");
              assertThat(state(agent, "upstream")).isEqualTo("up");
            });
    assertThat(check(agent, "jwks").getString("lastError")).contains("HTTP 503");
    assertThat(check(agent, "jwks").getBoolean("critical")).isFalse();
    assertThat(check(agent, "otlp-collector").getString("target")).isEqualTo("127.0.0.1:1");
    assertThat(admin(agent, "/readyz").statusCode()).isEqualTo(200);

    deps.stubFor(
        get(urlEqualTo("/jwks.json"))
            .willReturn(aResponse().withStatus(200).withBody("{\"keys\":[]}")));
    // the JWKS check runs every 30 s: a reload-free way to see it come back is to wait for it
    await().atMost(Duration.ofSeconds(45)).until(() -> "up".equals(state(agent, "jwks")));
  }

  /** Accepts connections and never answers, never closes. */
  static final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket s = socket.accept();
                    held.add(s);
                    InputStream in = s.getInputStream();
                    Thread reader = new Thread(() -> drain(in), "silent-reader");
                    reader.setDaemon(true);
                    reader.start();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "silent-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private static void drain(InputStream in) {
      try {
        while (in.read(new byte[1024]) != -1) {
          // read and ignore
        }
      } catch (IOException e) {
        // closed
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
