package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Outcome;
import io.mcpsidecar.agent.transport.Stage;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline through a real agent in front of a real server: a stage of one's own added through
 * the builder, the order checked at start, the tenant on exported spans, an audit count for every
 * event type, and the upstream named with its real port when it fails.
 */
class PipelineThroughAgentTest {

  static final String TOOLS_CALL =
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";
  static final String API_KEYS =
      "identity:\n"
          + "  apiKeys:\n    - {key: ops-key, tenant: ops, subject: ops-bot}\n"
          + "  anonymous: {allowed: false}\n";
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final StubUpstream upstream = new StubUpstream();
  Agent agent;

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  void answerOk() {
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}"));
  }

  HttpResponse<String> post(String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static <T> T started(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** What a stage of one's own saw of one call. */
  record Seen(String tenant, int status, boolean eventStream, long nanos) {}

  @Test
  void aStageAddedThroughTheBuilderWrapsRealCallsAndSeesTheirOutcome() throws Exception {
    answerOk();
    List<Seen> seen = new CopyOnWriteArrayList<>();
    Stage audit =
        new Stage() {
          @Override
          public String name() {
            return "recorder";
          }

          @Override
          public Set<String> requires() {
            return Set.of("identity");
          }

          @Override
          public Future<Outcome> handle(McpCall call, Next next) {
            long started = System.nanoTime();
            return next.proceed()
                .onSuccess(
                    outcome -> {
                      if (outcome instanceof Outcome.Relayed relayed) {
                        relayed.headers().set("X-Seen-By", "recorder");
                        seen.add(
                            new Seen(
                                call.principal().tenant(),
                                relayed.status(),
                                relayed.eventStream(),
                                System.nanoTime() - started));
                      }
                    });
          }
        };
    agent =
        started(Agent.builder(TestAgents.config(upstream.url(), API_KEYS)).stage(audit).start());

    HttpResponse<String> response = post(TOOLS_CALL, "X-API-Key", "ops-key");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getInteger("id")).isEqualTo(7);
    assertThat(response.headers().firstValue("X-Seen-By")).hasValue("recorder");
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).tenant()).isEqualTo("ops");
    assertThat(seen.get(0).status()).isEqualTo(200);
    assertThat(seen.get(0).eventStream()).isFalse();
    assertThat(seen.get(0).nanos()).isPositive();
    assertThat(upstream.received()).hasSize(1);
    assertThat(agent.endpoint().pipeline().stages())
        .extracting(Stage::name)
        .containsExactly(
            "edge",
            "tracing",
            "identity",
            "policy",
            "approvals",
            "limits",
            "dependencies",
            "recorder",
            "circuit-breaker",
            "bulkhead",
            "trace-context",
            "retry",
            "upstream");
  }

  /** A stage that keeps every outcome it sees and may replace it. */
  static Stage observer(List<Outcome> seen, java.util.function.Function<Outcome, Outcome> replace) {
    return new Stage() {
      @Override
      public String name() {
        return "observer";
      }

      @Override
      public Future<Outcome> handle(McpCall call, Next next) {
        return next.proceed()
            .map(
                outcome -> {
                  seen.add(outcome);
                  return replace.apply(outcome);
                });
      }
    };
  }

  @Test
  void anEventStreamReachesTheStageAsAHeadAndTheClientAsAStream() throws Exception {
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "text/event-stream")
                .setChunked(true)
                .end("id: 1\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}\n\n"));
    List<Outcome> seen = new CopyOnWriteArrayList<>();
    agent =
        started(
            Agent.builder(TestAgents.config(upstream.url(), ""))
                .stage(observer(seen, o -> o))
                .start());

    HttpResponse<String> response = post(TOOLS_CALL);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(response.body())
        .isEqualTo("id: 1\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}\n\n");
    assertThat(seen).singleElement().isInstanceOf(Outcome.Relayed.class);
    assertThat(((Outcome.Relayed) seen.get(0)).eventStream()).isTrue();
  }

  @Test
  void aStageMayAnswerInsteadOfTheServerAfterSeeingItsAnswer() throws Exception {
    upstream.handle(
        req ->
            req.response()
                .setStatusCode(503)
                .putHeader("Content-Type", "application/json")
                .putHeader("X-From-Server", "yes")
                .end(
                    "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-1,\"message\":\"busy\"}}"));
    List<Outcome> seen = new CopyOnWriteArrayList<>();
    String fallback = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"cached\":true}}";
    agent =
        started(
            Agent.builder(TestAgents.config(upstream.url(), ""))
                .stage(
                    observer(
                        seen,
                        o ->
                            o instanceof Outcome.Relayed r && r.status() >= 500
                                ? Outcome.answer(
                                    200, Map.of("Content-Type", "application/json"), fallback)
                                : o))
                .start());

    HttpResponse<String> response = post(TOOLS_CALL);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(fallback);
    assertThat(response.headers().firstValue("X-From-Server")).isEmpty();
    assertThat(((Outcome.Relayed) seen.get(0)).status()).isEqualTo(503);
    // The server's unread answer was dropped: the next call is relayed as usual.
    answerOk();
    assertThat(post(TOOLS_CALL).statusCode()).isEqualTo(200);
  }

  @Test
  void aStageOfOnesOwnCanRefuseBeforeTheServerIsCalled() throws Exception {
    answerOk();
    Stage closed =
        new Stage() {
          @Override
          public String name() {
            return "maintenance";
          }

          @Override
          public Future<Outcome> handle(McpCall call, Next next) {
            throw new IllegalStateException("not today");
          }
        };
    agent = started(Agent.builder(TestAgents.config(upstream.url(), "")).stage(closed).start());

    HttpResponse<String> response = post(TOOLS_CALL);

    assertThat(response.statusCode()).isEqualTo(500);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(-32007);
    assertThat(error.getJsonObject("data").getString("stage")).isEqualTo("maintenance");
    assertThat(new JsonObject(response.body()).getInteger("id")).isEqualTo(7);
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void anAgentWhosePipelineIsOutOfOrderDoesNotStart() {
    Stage needy =
        new Stage() {
          @Override
          public String name() {
            return "escalation";
          }

          @Override
          public Set<String> requires() {
            return Set.of("consent");
          }

          @Override
          public Future<Outcome> handle(McpCall call, Next next) {
            return next.proceed();
          }
        };

    Future<Agent> started =
        Agent.builder(TestAgents.config(upstream.url(), "")).stage(needy).start();

    Assertions.assertThatThrownBy(() -> started(started))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .hasMessageContaining("stage 'escalation' needs 'consent' before it, and there is none")
        .hasMessageContaining(
            "(order: edge, tracing, identity, policy, approvals, limits, dependencies, escalation,"
                + " circuit-breaker, bulkhead, trace-context, retry, upstream)");
  }

  @Test
  void exportedSpansCarryTheTenantOfAnApiKey() throws Exception {
    answerOk();
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    AgentConfig config =
        TestAgents.config(upstream.url(), API_KEYS + "telemetry:\n  tracing: {enabled: true}\n");
    agent =
        started(Agent.builder(new ConfigResult.Valid(config)).spanExporter(() -> spans).start());

    HttpResponse<String> response = post(TOOLS_CALL, "X-API-Key", "ops-key");

    assertThat(response.statusCode()).isEqualTo(200);
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    AttributeKey<String> tenant = AttributeKey.stringKey("mcp_sidecar.tenant");
    SpanData server =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getKind() == SpanKind.SERVER)
                        .filter(
                            s ->
                                requestId.equals(
                                    s.getAttributes()
                                        .get(AttributeKey.stringKey("mcp_sidecar.request.id"))))
                        .findFirst()
                        .orElse(null),
                java.util.Objects::nonNull);
    assertThat(server.getAttributes().get(tenant)).isEqualTo("ops");
    SpanData client =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getKind() == SpanKind.CLIENT)
                        .filter(s -> s.getTraceId().equals(server.getTraceId()))
                        .findFirst()
                        .orElse(null),
                java.util.Objects::nonNull);
    assertThat(client.getAttributes().get(tenant)).isEqualTo("ops");
  }

  @Test
  void countsEveryAuditEventTypeFromStartUp(@TempDir Path dir) throws Exception {
    answerOk();
    String yaml =
        "listen: {host: 127.0.0.1, port: 0}\nadmin: {host: 127.0.0.1, port: 0}\n"
            + "upstream: {url: \""
            + upstream.url()
            + "\"}\n"
            + API_KEYS
            + "limits:\n  requests: {limit: 1, interval: 1h}\n";
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    agent =
        started(
            Agent.builder((ConfigResult.Valid) ConfigLoader.load(file))
                .reload(new Agent.Reload(file, Duration.ofMillis(20), Duration.ofMillis(20)))
                .start());

    assertThat(auditCounts())
        .containsOnly(
            Map.entry("call_rejected", 0.0),
            Map.entry("identity_refused", 0.0),
            Map.entry("limit_refused", 0.0),
            Map.entry("config_reloaded", 0.0),
            Map.entry("config_rejected", 0.0),
            Map.entry("policy_decision", 0.0),
            Map.entry("approval_requested", 0.0),
            Map.entry("approval_approved", 0.0),
            Map.entry("approval_denied", 0.0),
            Map.entry("approval_expired", 0.0),
            Map.entry("approval_used", 0.0));

    assertThat(post(TOOLS_CALL).statusCode()).isEqualTo(401);
    assertThat(post(TOOLS_CALL, "X-API-Key", "ops-key").statusCode()).isEqualTo(200);
    assertThat(post(TOOLS_CALL, "X-API-Key", "ops-key").statusCode()).isEqualTo(429);
    Files.writeString(file, yaml + "edge: {maxBodyBytes: -1}\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> auditCounts().get("config_rejected") == 1);
    Files.writeString(file, yaml + "logging: {level: WARN}\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> auditCounts().get("config_reloaded") == 1);

    assertThat(auditCounts())
        .containsOnly(
            Map.entry("call_rejected", 2.0),
            Map.entry("identity_refused", 1.0),
            Map.entry("limit_refused", 1.0),
            Map.entry("config_reloaded", 1.0),
            Map.entry("config_rejected", 1.0),
            Map.entry("policy_decision", 2.0), // both identified calls, before limits
            Map.entry("approval_requested", 0.0),
            Map.entry("approval_approved", 0.0),
            Map.entry("approval_denied", 0.0),
            Map.entry("approval_expired", 0.0),
            Map.entry("approval_used", 0.0));
  }

  Map<String, Double> auditCounts() throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + agent.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Map<String, Double> counts = new java.util.TreeMap<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("mcp_sidecar_audit_events_total{")) {
        String type = line.replaceAll(".*type=\"([^\"]+)\".*", "$1");
        counts.put(type, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return counts;
  }

  @Test
  void anUnreachableServerWithoutAPortInItsUrlIsNamedWithTheRealPort() throws Exception {
    // Nothing listens on port 80 of the loopback here: the connection is refused at once.
    agent = started(Agent.builder(TestAgents.config("http://127.0.0.1/mcp", "")).start());

    HttpResponse<String> response = post(TOOLS_CALL);

    assertThat(response.statusCode()).isEqualTo(502);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(-32000);
    assertThat(error.getJsonObject("data").getString("upstream")).isEqualTo("127.0.0.1:80");
  }

  static AgentConfig parse(String yaml) {
    return ((ConfigResult.Valid) ConfigLoader.parse(yaml, Map.of())).config();
  }
}
