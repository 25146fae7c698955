package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The resilience stages in a real agent in front of a server that misbehaves on purpose: deadlines
 * by tool, the circuit breaker opening, failing fast and closing through half-open trials, the
 * bulkhead shedding past its queue, retries of idempotent calls only, stale list answers while the
 * circuit is open.
 */
class ResilienceThroughAgentTest {

  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final StubUpstream upstream = new StubUpstream();
  private Agent agent;

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  private Agent start(String yaml) {
    agent = TestAgents.start(TestAgents.config(upstream.url(), yaml));
    return agent;
  }

  static String request(int id, String method, String name) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\""
        + method
        + "\",\"params\":{"
        + (name == null ? "" : "\"name\":\"" + name + "\"")
        + "}}";
  }

  private HttpRequest post(String body) {
    return HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpResponse<String> send(String body) throws Exception {
    return http.send(post(body), HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> sendAsync(String body) {
    return http.sendAsync(post(body), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject error(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error");
  }

  /** Answers every request with a result naming the request's method, after its body is read. */
  static void ok(HttpServerRequest req, String body) {
    Object id = body.startsWith("[") ? 1 : new JsonObject(body).getValue("id");
    req.response()
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("jsonrpc", "2.0")
                .put("id", id)
                .put(
                    "result",
                    new JsonObject().put("tools", List.of(new JsonObject().put("name", "echo"))))
                .encode());
  }

  /** A request held by the stub, to be answered later. */
  record Held(HttpServerRequest req, String body) {
    void ok() {
      ResilienceThroughAgentTest.ok(req, body);
    }
  }

  static String toolName(String body) {
    JsonObject params = new JsonObject(body).getJsonObject("params");
    return params == null ? null : params.getString("name");
  }

  @Test
  void aToolsOwnDeadlineAnswers504WhileAnotherToolsLongerDeadlineHolds() throws Exception {
    upstream.handleWithBody(
        (req, body) -> upstream.vertx().setTimer(1_000, t -> ok(req, body))); // a second each
    start(
        """
          responseTimeout: 30s
          timeouts:
            tools: [{match: "quick_*", timeout: 200ms}, {match: "report_*", timeout: 20s}]
            methods: [{match: "tools/*", timeout: 300ms}]
        """);

    HttpResponse<String> quick = send(request(1, "tools/call", "quick_sum"));
    HttpResponse<String> report = send(request(2, "tools/call", "report_daily"));
    HttpResponse<String> list = send(request(3, "tools/list", null));
    HttpResponse<String> batch =
        send("[" + request(4, "tools/call", "quick_a") + "," + request(5, "ping", null) + "]");

    assertThat(quick.statusCode()).isEqualTo(504);
    assertThat(error(quick).getInteger("code")).isEqualTo(-32001);
    assertThat(error(quick).getJsonObject("data").getString("type")).isEqualTo("upstream_timeout");
    assertThat(new JsonObject(quick.body()).getValue("id")).isEqualTo(1);
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(report.body()).getValue("id")).isEqualTo(2);
    assertThat(list.statusCode()).as("methods: tools/* is 300ms").isEqualTo(504);
    // ping has no entry (responseTimeout 30s): the batch gets the longest of its deadlines
    assertThat(batch.statusCode()).isNotEqualTo(504);
  }

  @Test
  void theBreakerOpensOnServerErrorsFailsFastAndClosesAfterItsHalfOpenTrials() throws Exception {
    upstream.handle(req -> req.response().setStatusCode(500).end());
    start(
        """
          circuitBreaker: {enabled: true, window: 4, minimumCalls: 4, failureRate: 50,
                           openFor: 1s, halfOpenCalls: 2}
        """);

    for (int i = 1; i <= 4; i++) {
      assertThat(send(request(i, "tools/call", "echo")).statusCode()).isEqualTo(500);
    }
    int reached = upstream.received().size();
    HttpResponse<String> refused = send(request(9, "tools/call", "echo"));

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After"))
        .hasValueSatisfying(
            v -> {
              assertThat(Integer.parseInt(v)).isBetween(1, 1);
            });
    JsonObject error = error(refused);
    assertThat(error.getInteger("code")).isEqualTo(-32016);
    assertThat(error.getJsonObject("data").getString("type")).isEqualTo("degraded");
    assertThat(error.getJsonObject("data").getString("reason")).isEqualTo("circuit_open");
    assertThat(error.getJsonObject("data").getLong("retryAfterMs")).isBetween(1L, 1000L);
    assertThat(new JsonObject(refused.body()).getValue("id")).isEqualTo(9);
    assertThat(upstream.received()).as("an open circuit sends nothing").hasSize(reached);
    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
                .timeout(Duration.ofSeconds(15))
                .header("Mcp-Session-Id", "s-1")
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode())
        .as("a DELETE ending a session is always attempted")
        .isEqualTo(500);
    assertThat(upstream.received()).hasSize(reached + 1);
    reached++;
    assertThat(RawHttp.metric(agent, "mcp_sidecar_upstream_circuit_state")).isEqualTo(1.0);
    assertThat(RawHttp.metric(agent, "mcp_sidecar_upstream_circuit_not_permitted_total"))
        .isEqualTo(1.0);

    // The server recovers; after openFor the trial calls go through and close the circuit.
    upstream.handleWithBody(ResilienceThroughAgentTest::ok);
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> send(request(10, "tools/call", "echo")).statusCode() == 200);
    assertThat(send(request(11, "tools/call", "echo")).statusCode()).isEqualTo(200);
    // The outcome is recorded when the exchange ends, just after the last byte went out.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> RawHttp.metric(agent, "mcp_sidecar_upstream_circuit_state") == 0.0);
    assertThat(
            RawHttp.metric(
                agent, "mcp_sidecar_upstream_circuit_transitions_total{to=\"half_open\"}"))
        .isEqualTo(1.0);
    assertThat(
            RawHttp.metric(agent, "mcp_sidecar_upstream_circuit_transitions_total{to=\"closed\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void toolErrorsJsonRpcErrorsAndClientErrorsNeverOpenTheCircuit() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.handleWithBody(
        (req, body) -> {
          Object id = new JsonObject(body).getValue("id");
          switch (n.incrementAndGet() % 3) {
            case 0 -> req.response().setStatusCode(404).end();
            case 1 ->
                req.response()
                    .putHeader("Content-Type", "application/json")
                    .end(
                        "{\"jsonrpc\":\"2.0\",\"id\":"
                            + id
                            + ",\"result\":{\"isError\":true,\"content\":[]}}");
            default ->
                req.response()
                    .putHeader("Content-Type", "application/json")
                    .end(
                        "{\"jsonrpc\":\"2.0\",\"id\":"
                            + id
                            + ",\"error\":{\"code\":-32602,\"message\":\"bad\"}}");
          }
        });
    start(
        """
          circuitBreaker: {enabled: true, window: 4, minimumCalls: 2, failureRate: 1, openFor: 1m}
        """);

    for (int i = 1; i <= 12; i++) {
      assertThat(send(request(i, "tools/call", "echo")).statusCode()).isIn(200, 404);
    }

    assertThat(upstream.received()).hasSize(12);
    assertThat(RawHttp.metric(agent, "mcp_sidecar_upstream_circuit_state")).isEqualTo(0.0);
  }

  @Test
  void timeoutsAndConnectionsClosedWithoutAnAnswerOpenTheCircuit() throws Exception {
    AtomicInteger n = new AtomicInteger();
    upstream.handle(
        req -> {
          if (n.incrementAndGet() % 2 == 0) {
            req.connection().close(); // closed before answering
          } // else: accepted and never answered
        });
    start(
        """
          timeouts: {methods: [{match: "*", timeout: 200ms}]}
          circuitBreaker: {enabled: true, window: 4, minimumCalls: 4, failureRate: 100,
                           openFor: 1m}
        """);

    List<Integer> statuses = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      statuses.add(send(request(i, "tools/call", "echo")).statusCode());
    }
    HttpResponse<String> refused = send(request(5, "tools/call", "echo"));

    assertThat(statuses).containsExactlyInAnyOrder(504, 502, 504, 502);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(error(refused).getInteger("code")).isEqualTo(-32016);
    assertThat(upstream.received()).hasSize(4);
  }

  @Test
  void aBodyThatStallsPastItsDeadlineCountsAsAFailureWhenTheExchangeEnds() throws Exception {
    upstream.handle(
        req ->
            req.response()
                .setChunked(true)
                .putHeader("Content-Type", "application/json")
                .write("{\"jsonrpc\":\"2.0\",")); // the head and a first chunk, then nothing
    start(
        """
          timeouts: {tools: [{match: "*", timeout: 300ms}]}
          circuitBreaker: {enabled: true, window: 3, minimumCalls: 3, failureRate: 100, openFor: 1m}
        """);

    int cut = 0;
    for (int i = 1; i <= 3; i++) {
      try {
        send(request(i, "tools/call", "echo"));
      } catch (java.io.IOException e) {
        cut++; // the head was relayed: the agent resets the connection, no truncated body
      }
    }
    HttpResponse<String> refused = send(request(4, "tools/call", "echo"));

    assertThat(cut).as("each body cut off by a reset, never ended as if whole").isEqualTo(3);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(error(refused).getInteger("code")).isEqualTo(-32016);
    assertThat(upstream.received()).hasSize(3);
  }

  @Test
  void theBulkheadQueuesThenShedsAndEveryCallIsAnswered() throws Exception {
    List<Held> held = new CopyOnWriteArrayList<>();
    upstream.handleWithBody(
        (req, body) -> {
          if (body.contains("\"id\"")) {
            held.add(new Held(req, body));
          } else {
            req.response().setStatusCode(202).end();
          }
        });
    start(
        """
          bulkhead: {maxInFlight: 2, queue: 1, queueTimeout: 20s}
        """);

    CompletableFuture<HttpResponse<String>> first = sendAsync(request(1, "tools/call", "a"));
    CompletableFuture<HttpResponse<String>> second = sendAsync(request(2, "tools/call", "b"));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 2);
    CompletableFuture<HttpResponse<String>> queued = sendAsync(request(3, "tools/call", "c"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> RawHttp.metric(agent, "mcp_sidecar_upstream_bulkhead_queued") == 1.0);
    HttpResponse<String> shed = send(request(4, "tools/call", "d"));
    // Only notifications: never held back, never shed.
    HttpResponse<String> notification =
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{}}");

    assertThat(shed.statusCode()).isEqualTo(503);
    assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
    JsonObject data = error(shed).getJsonObject("data");
    assertThat(error(shed).getInteger("code")).isEqualTo(-32019);
    assertThat(data.getString("reason")).isEqualTo("bulkhead");
    assertThat(data.getString("shed")).isEqualTo("queue_full");
    assertThat(data.getInteger("maxInFlight")).isEqualTo(2);
    assertThat(new JsonObject(shed.body()).getValue("id")).isEqualTo(4);
    assertThat(notification.statusCode()).isEqualTo(202); // the stub's answer: it reached it
    assertThat(held).hasSize(2);

    held.forEach(Held::ok); // the two in flight end; the queued one goes in
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 3);
    held.get(2).ok();

    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(second.get().statusCode()).isEqualTo(200);
    assertThat(queued.get().statusCode()).isEqualTo(200);
    assertThat(new JsonObject(queued.get().body()).getValue("id")).isEqualTo(3);
    assertThat(
            RawHttp.metric(
                agent, "mcp_sidecar_upstream_bulkhead_shed_total{reason=\"queue_full\"}"))
        .isEqualTo(1.0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> RawHttp.metric(agent, "mcp_sidecar_upstream_bulkhead_in_flight") == 0.0);
  }

  @Test
  void aQueuedCallIsShedAfterTheQueueTimeoutOrLeavesTheQueueWithItsClient() throws Exception {
    List<Held> held = new CopyOnWriteArrayList<>();
    upstream.handleWithBody((req, body) -> held.add(new Held(req, body)));
    start(
        """
          bulkhead: {maxInFlight: 1, queue: 1, queueTimeout: 300ms}
        """);

    CompletableFuture<HttpResponse<String>> first = sendAsync(request(1, "tools/call", "a"));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
    HttpResponse<String> timedOut = send(request(2, "tools/call", "b"));

    assertThat(timedOut.statusCode()).isEqualTo(503);
    assertThat(error(timedOut).getJsonObject("data").getString("shed")).isEqualTo("queue_timeout");

    // A queued client that leaves frees its place in the queue at once.
    try (RawHttp raw = new RawHttp(agent.mcpPort(), Duration.ofSeconds(10))) {
      raw.send(RawHttp.post(request(3, "tools/call", "c")));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> RawHttp.metric(agent, "mcp_sidecar_upstream_bulkhead_queued") == 1.0);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> RawHttp.metric(agent, "mcp_sidecar_upstream_bulkhead_queued") == 0.0);
    assertThat(
            RawHttp.metric(
                agent, "mcp_sidecar_upstream_bulkhead_shed_total{reason=\"queue_timeout\"}"))
        .as("leaving is not a timeout")
        .isEqualTo(1.0);

    held.get(0).ok();
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(held).as("the call whose client left never reached the server").hasSize(1);
  }

  @Test
  void listCallsAreRetriedOnceWhenNoConnectionCouldBeHadButToolCallsNever() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    agent =
        TestAgents.start(
            TestAgents.config(
                "http://127.0.0.1:" + closed + "/mcp",
                """
                  retries: {budgetPercent: 0, minPerSecond: 1, budgetWindow: 3s}
                """));

    HttpResponse<String> list = send(request(1, "tools/list", null));
    HttpResponse<String> call = send(request(2, "tools/call", "echo"));

    assertThat(list.statusCode()).isEqualTo(502);
    assertThat(error(list).getInteger("code")).isEqualTo(-32000);
    assertThat(call.statusCode()).isEqualTo(502);
    assertThat(
            RawHttp.metric(
                agent, "mcp_sidecar_upstream_retries_total{mcp_method_name=\"tools/list\"}"))
        .isEqualTo(1.0);
    assertThat(
            RawHttp.metric(
                agent, "mcp_sidecar_upstream_retries_total{mcp_method_name=\"tools/call\"}"))
        .isEqualTo(-1.0);

    // The budget: 1 a second over 3 s allows 3 retries in the window; the rest are not retried.
    for (int i = 3; i <= 6; i++) {
      assertThat(send(request(i, "resources/list", null)).statusCode()).isEqualTo(502);
    }
    double retried =
        RawHttp.metric(agent, "mcp_sidecar_upstream_retries_total{mcp_method_name=\"tools/list\"}")
            + Math.max(
                0,
                RawHttp.metric(
                    agent,
                    "mcp_sidecar_upstream_retries_total{mcp_method_name=\"resources/list\"}"));
    double exhausted = RawHttp.metric(agent, "mcp_sidecar_upstream_retry_budget_exhausted_total");
    assertThat(retried + exhausted)
        .as("every failed list call retried or refused a retry")
        .isEqualTo(5.0);
    assertThat(retried).isBetween(3.0, 5.0);
  }

  @Test
  void aListCallThatGotNoConnectionIsSentOnceMoreAndSucceedsWhenOneFrees() throws Exception {
    List<Held> held = new CopyOnWriteArrayList<>();
    upstream.handleWithBody(
        (req, body) -> {
          if (body.contains("\"tools/call\"")) {
            held.add(new Held(req, body)); // holds the only pooled connection
          } else {
            ok(req, body);
          }
        });
    start(
        """
          connectTimeout: 1s
          maxConnections: 1
        """);
    CompletableFuture<HttpResponse<String>> holder = sendAsync(request(1, "tools/call", "slow"));
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

    HttpResponse<String> toolCall = send(request(2, "tools/call", "other"));
    CompletableFuture<HttpResponse<String>> list = sendAsync(request(3, "tools/list", null));
    // The first try waits connectTimeout for the pool and fails; the retry waits again.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                RawHttp.metric(
                        agent, "mcp_sidecar_upstream_retries_total{mcp_method_name=\"tools/list\"}")
                    == 1.0);
    held.get(0).ok(); // the connection frees while the retry waits

    assertThat(toolCall.statusCode()).as("tools/call is never retried").isEqualTo(502);
    assertThat(error(toolCall).getInteger("code")).isEqualTo(-32000);
    assertThat(list.get().statusCode()).isEqualTo(200);
    assertThat(new JsonObject(list.get().body()).getValue("id")).isEqualTo(3);
    assertThat(holder.get().statusCode()).isEqualTo(200);
    assertThat(upstream.received())
        .extracting(StubUpstream.Received::body)
        .as("each call reached the server once, the list with its own body")
        .containsExactlyInAnyOrder(
            request(1, "tools/call", "slow"), request(3, "tools/list", null));
  }

  @Test
  void aRetryReachesTheServerWhenItIsBackAndSendsTheSameBody() throws Exception {
    upstream.handleWithBody(ResilienceThroughAgentTest::ok);
    start("");

    HttpResponse<String> list = send(request(7, "tools/list", null));

    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(upstream.received()).hasSize(1);
    assertThat(upstream.received().get(0).body()).isEqualTo(request(7, "tools/list", null));
    assertThat(
            RawHttp.metric(
                agent, "mcp_sidecar_upstream_retries_total{mcp_method_name=\"tools/list\"}"))
        .as("nothing to retry")
        .isEqualTo(-1.0);
  }

  @Test
  void aStaleListHidesWhatThePolicyHides() throws Exception {
    upstream.handleWithBody(
        (req, body) -> {
          JsonObject request = new JsonObject(body);
          if (request.getString("method").equals("tools/list")) {
            req.response()
                .putHeader("Content-Type", "application/json")
                .end(
                    "{\"jsonrpc\":\"2.0\",\"id\":"
                        + request.getValue("id")
                        + ",\"result\":{\"tools\":[{\"name\":\"echo\"},{\"name\":\"delete_all\"}]}}");
          } else {
            req.response().setStatusCode(500).end();
          }
        });
    start(
        """
          circuitBreaker: {enabled: true, window: 3, minimumCalls: 3, failureRate: 50, openFor: 1m}
          fallback: {lists: true}
        policy:
          rules:
            - {id: no-deletes, effect: deny, tools: ["delete_*"]}
        """);

    JsonObject fresh = new JsonObject(send(request(1, "tools/list", null)).body());
    assertThat(fresh.getJsonObject("result").getJsonArray("tools").encode())
        .contains("echo")
        .doesNotContain("delete_all");
    // with the list, three calls of which two failed: the circuit opens
    for (int i = 2; i <= 3; i++) {
      assertThat(send(request(i, "tools/call", "echo")).statusCode()).isEqualTo(500);
    }
    int reached = upstream.received().size();

    HttpResponse<String> stale = send(request(5, "tools/list", null));

    assertThat(upstream.received()).as("the circuit is open").hasSize(reached);
    JsonObject result = new JsonObject(stale.body()).getJsonObject("result");
    assertThat(result.getJsonObject("_meta").getBoolean("io.mcpsidecar/stale")).isTrue();
    assertThat(result.getJsonArray("tools").encode()).contains("echo").doesNotContain("delete_all");
  }

  @Test
  void whileTheCircuitIsOpenListsAreAnsweredFromTheLastGoodAnswerMarkedStale() throws Exception {
    upstream.handleWithBody(
        (req, body) -> {
          String method = new JsonObject(body).getString("method");
          Object id = new JsonObject(body).getValue("id");
          String result =
              "{\"jsonrpc\":\"2.0\",\"id\":"
                  + id
                  + ",\"result\":{\"tools\":[{\"name\":\"echo\"}],\"prompts\":[]}}";
          if (method.equals("prompts/list")) { // answered on an event stream
            req.response()
                .putHeader("Content-Type", "text/event-stream")
                .end("event: message\ndata: " + result + "\n\n");
          } else if (method.endsWith("/list")) {
            req.response().putHeader("Content-Type", "application/json").end(result);
          } else {
            req.response().setStatusCode(500).end();
          }
        });
    start(
        """
          circuitBreaker: {enabled: true, window: 5, minimumCalls: 5, failureRate: 50, openFor: 1m}
          fallback: {lists: true}
        """);

    assertThat(send(request(1, "tools/list", null)).statusCode()).isEqualTo(200);
    assertThat(send(request(2, "prompts/list", null)).statusCode()).isEqualTo(200);
    for (int i = 3; i <= 5; i++) {
      assertThat(send(request(i, "tools/call", "echo")).statusCode()).isEqualTo(500);
    }
    int reached = upstream.received().size();

    HttpResponse<String> tools = send(request(40, "tools/list", null));
    HttpResponse<String> prompts = send(request(41, "prompts/list", null));
    HttpResponse<String> resources = send(request(42, "resources/list", null));
    HttpResponse<String> otherPage =
        send(
            "{\"jsonrpc\":\"2.0\",\"id\":43,\"method\":\"tools/list\",\"params\":{\"cursor\":\"p2\"}}");

    assertThat(upstream.received()).hasSize(reached);
    assertThat(tools.statusCode()).isEqualTo(200);
    JsonObject answer = new JsonObject(tools.body());
    assertThat(answer.getValue("id")).isEqualTo(40);
    assertThat(
            answer.getJsonObject("result").getJsonArray("tools").getJsonObject(0).getString("name"))
        .isEqualTo("echo");
    JsonObject meta = answer.getJsonObject("result").getJsonObject("_meta");
    assertThat(meta.getBoolean("io.mcpsidecar/stale")).isTrue();
    assertThat(java.time.Instant.parse(meta.getString("io.mcpsidecar/cachedAt"))).isNotNull();
    assertThat(prompts.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(prompts.body()).getValue("id")).isEqualTo(41);
    assertThat(
            new JsonObject(prompts.body())
                .getJsonObject("result")
                .getJsonObject("_meta")
                .getBoolean("io.mcpsidecar/stale"))
        .isTrue();
    assertThat(resources.statusCode()).as("nothing kept").isEqualTo(503);
    assertThat(otherPage.statusCode()).as("another cursor is another answer").isEqualTo(503);
    assertThat(
            RawHttp.metric(
                agent, "mcp_sidecar_upstream_fallback_stale_total{mcp_method_name=\"tools/list\"}"))
        .isEqualTo(1.0);
    // A stale answer is an answer: its result is seen, not counted as a call left unanswered.
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + agent.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics.lines())
        .filteredOn(l -> l.startsWith("mcp_server_operation_duration_seconds_count{"))
        .filteredOn(l -> l.contains("mcp_method_name=\"tools/list\""))
        .noneMatch(l -> l.contains("outcome=\"cancelled\""))
        .anyMatch(l -> l.contains("outcome=\"ok\""));
  }
}
