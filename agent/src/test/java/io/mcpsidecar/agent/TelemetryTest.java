package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mcpsidecar.agent.telemetry.JsonLineEncoder;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Traces, metrics and logs of real calls through a real agent. */
class TelemetryTest {

  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private static final ListAppender<ILoggingEvent> access = new ListAppender<>();
  private static StubUpstream upstream;
  private static Agent agent;

  @BeforeAll
  static void start() {
    upstream = new StubUpstream();
    var loaded =
        (ConfigResult.Valid)
            ConfigLoader.parse(
                "listen: {host: 127.0.0.1, port: 0}\nadmin: {host: 127.0.0.1, port: 0}\n"
                    + "upstream: {url: \""
                    + upstream.url()
                    + "\"}\ntelemetry:\n  tracing: {enabled: true}\n  metrics: {maxTargets: 50}\n"
                    + TestAgents.TCP_SERVER_CHECK,
                Map.of());
    agent = StubUpstream.await(Agent.start(loaded, null, spans));
    access.start();
    ((Logger) LoggerFactory.getLogger("mcp.access")).addAppender(access);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("mcp.access")).detachAppender(access);
    TestAgents.stop(agent);
    upstream.close();
  }

  @BeforeEach
  void reset() {
    spans.reset();
    access.list.clear();
    upstream.received().clear();
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end(
                    req.headers().contains("X-Tool-Error")
                        ? "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[],\"isError\":true}}"
                        : "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[]}}"));
  }

  private static HttpResponse<String> call(String tool, String meta, String... headers)
      throws Exception {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\""
            + tool
            + "\""
            + (meta == null ? "" : ",\"_meta\":{\"traceparent\":\"" + meta + "\"}")
            + "}}";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .header("Content-Type", "application/json")
            .header("MCP-Protocol-Version", "2025-06-18")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The finished spans of one exchange, found by the request id the agent echoed. */
  private static List<SpanData> spansOf(HttpResponse<?> response, int count) {
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    AttributeKey<String> key = AttributeKey.stringKey("mcp_sidecar.request.id");
    String traceId =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    spans.getFinishedSpanItems().stream()
                        .filter(s -> requestId.equals(s.getAttributes().get(key)))
                        .map(SpanData::getTraceId)
                        .findFirst()
                        .orElse(null),
                java.util.Objects::nonNull);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getTraceId().equals(traceId))
                        .count()
                    >= count);
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(traceId))
        .toList();
  }

  private static SpanData serverSpan(List<SpanData> spans) {
    return spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
  }

  private static String scrape(String accept) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.adminPort() + "/metrics"));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void putsOnlyAHashOfTheSessionIdOnTheSpan() throws Exception {
    String session = "secret-session-0123456789abcdef";
    HttpResponse<String> response = call("echo", null, "Mcp-Session-Id", session);
    SpanData server = serverSpan(spansOf(response, 2));

    assertThat(server.getAttributes().get(AttributeKey.stringKey("mcp.session.id")))
        .isEqualTo(io.mcpsidecar.agent.transport.SessionIds.fingerprint(session))
        .startsWith("sha256:")
        .doesNotContain(session);
  }

  @Test
  void tracesACallWithConventionNamesAndPropagatesContextUpstream() throws Exception {
    HttpResponse<String> response = call("echo", null);
    assertThat(response.statusCode()).isEqualTo(200);
    List<SpanData> done = spansOf(response, 2);
    SpanData server =
        done.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    SpanData client =
        done.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(server.getName()).isEqualTo("tools/call echo");
    assertThat(server.getAttributes().get(AttributeKey.stringKey("mcp.method.name")))
        .isEqualTo("tools/call");
    assertThat(server.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")))
        .isEqualTo("echo");
    assertThat(server.getAttributes().get(AttributeKey.stringKey("jsonrpc.request.id")))
        .isEqualTo("7");
    assertThat(server.getAttributes().get(AttributeKey.stringKey("mcp.protocol.version")))
        .isEqualTo("2025-06-18");
    assertThat(server.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
    String traceparent = upstream.received().get(0).headers().get("traceparent");
    assertThat(traceparent)
        .startsWith("00-" + client.getTraceId() + "-" + client.getSpanId() + "-");
  }

  @Test
  void takesTheParentFromMetaBeforeTheHttpHeader() throws Exception {
    String metaTrace = "0af7651916cd43dd8448eb211c80319c";
    String headerTrace = "11111111111111111111111111111111";
    SpanData server =
        serverSpan(
            spansOf(
                call(
                    "echo",
                    "00-" + metaTrace + "-b7ad6b7169203331-01",
                    "traceparent",
                    "00-" + headerTrace + "-00f067aa0ba902b7-01"),
                2));
    assertThat(server.getTraceId()).isEqualTo(metaTrace);
    assertThat(server.getParentSpanId()).isEqualTo("b7ad6b7169203331");

    SpanData fromHeader =
        serverSpan(
            spansOf(
                call("echo", null, "traceparent", "00-" + headerTrace + "-00f067aa0ba902b7-01"),
                2));
    assertThat(fromHeader.getTraceId()).isEqualTo(headerTrace);
  }

  @Test
  void marksToolErrorsAndRejectionsAsErrors() throws Exception {
    SpanData toolError = serverSpan(spansOf(call("fail", null, "X-Tool-Error", "1"), 2));
    assertThat(toolError.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(toolError.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("tool_error");

    SpanData rejected = spansOf(call("echo", null, "Origin", "https://evil.example.net"), 1).get(0);
    assertThat(rejected.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("-32003");
  }

  @Test
  void exposesDurationsByMethodTargetAndOutcomeWithTheSloBucket() throws Exception {
    call("echo", null);
    call("fail", null, "X-Tool-Error", "1");
    String text = scrape(null);
    assertThat(text)
        .containsPattern(
            // The SLO's 0.4 s bound is a bucket of its own (how long the call took is not asserted:
            // a slow CI machine may take longer).
            "mcp_server_operation_duration_seconds_bucket\\{error_class=\"none\",error_type=\"\",gen_ai_tool_name=\"echo\",mcp_method_name=\"tools/call\",outcome=\"ok\",tenant=\"anonymous\",le=\"0\\.4\"\\} \\d+")
        .containsPattern(
            "mcp_server_operation_duration_seconds_count\\{error_class=\"none\",error_type=\"\",gen_ai_tool_name=\"echo\",mcp_method_name=\"tools/call\",outcome=\"ok\",tenant=\"anonymous\"\\} [1-9]")
        .containsPattern(
            "mcp_server_operation_duration_seconds_count\\{[^}]*error_class=\"correctness\"[^}]*error_type=\"tool_error\"[^}]*gen_ai_tool_name=\"fail\"[^}]*outcome=\"tool_error\"[^}]*\\} [1-9]")
        .contains("mcp_sidecar_upstream_responses_total{status_class=\"2xx\"}")
        .contains("mcp_sidecar_bytes_total{direction=\"in\"}")
        .contains("mcp_sidecar_inflight_calls");
    // OpenMetrics carries the trace id of a recorded call as an exemplar.
    assertThat(scrape("application/openmetrics-text; version=1.0.0"))
        .containsPattern(
            "mcp_server_operation_duration_seconds_bucket\\{[^}]*\\} \\d+ # \\{span_id=\"[0-9a-f]{16}\",trace_id=\"[0-9a-f]{32}\"\\}");
  }

  @Test
  void capsTheToolLabelSoAFloodOfNamesCannotExplodeTheSeries() throws Exception {
    // Ten thousand distinct tool names, sent four at a time.
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<HttpResponse<String>>> sent = new java.util.ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        String tool = "tool-" + i;
        sent.add(pool.submit(() -> call(tool, null)));
      }
      for (var response : sent) {
        assertThat(response.get().statusCode()).isEqualTo(200);
      }
    } finally {
      pool.shutdown();
    }
    String text = scrape(null);
    Matcher m =
        Pattern.compile(
                "mcp_server_operation_duration_seconds_count\\{[^}]*gen_ai_tool_name=\"([^\"]*)\"")
            .matcher(text);
    java.util.Set<String> names = new java.util.HashSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    assertThat(names).contains("_OTHER").hasSizeLessThanOrEqualTo(51);
  }

  @Test
  void takesTheOutcomeFromAResponseAtTheEndOfAnEventStream() throws Exception {
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "text/event-stream")
                .end(
                    "id: 1\r\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\",\"method\":"
                        + "\"notifications/progress\",\"params\":{\"progress\":1}}\r\n\r\n"
                        + ": keepalive\r\n\r\n"
                        + "id: 2\r\ndata: {\"jsonrpc\":\"2.0\",\r\ndata: \"\\u0069d\":7,\"error\":"
                        + "{\"code\":-32001,\"message\":\"no\"}}\r\n\r\n"));
    HttpResponse<String> response = call("slow", null);
    assertThat(response.body()).contains("-32001").endsWith("}}\r\n\r\n");
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    JsonLineEncoder encoder = new JsonLineEncoder();
    JsonObject line =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    List.copyOf(access.list).stream()
                        .map(
                            e ->
                                new JsonObject(
                                    new String(encoder.encode(e), StandardCharsets.UTF_8)))
                        .filter(l -> requestId.equals(l.getString("requestId")))
                        .findFirst()
                        .orElse(null),
                java.util.Objects::nonNull);
    assertThat(line.getBoolean("stream")).isTrue();
    assertThat(line.getString("outcome")).isEqualTo("error");
    assertThat(line.getInteger("errorCode")).isEqualTo(-32001);
  }

  @Test
  void writesAccessLogLinesAsJsonCarryingTheSpanIds() throws Exception {
    SpanData server = serverSpan(spansOf(call("echo", null), 2));
    JsonLineEncoder encoder = new JsonLineEncoder();
    JsonObject line =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    List.copyOf(access.list).stream()
                        .map(
                            e ->
                                new JsonObject(
                                    new String(encoder.encode(e), StandardCharsets.UTF_8)))
                        .filter(l -> server.getTraceId().equals(l.getString("traceId")))
                        .findFirst()
                        .orElse(null),
                java.util.Objects::nonNull);
    assertThat(line.getString("traceId")).isEqualTo(server.getTraceId());
    assertThat(line.getString("spanId")).isEqualTo(server.getSpanId());
    assertThat(line.getString("requestId")).isNotBlank();
    assertThat(line.getString("method")).isEqualTo("tools/call");
    assertThat(line.getString("target")).isEqualTo("echo");
    assertThat(line.getString("outcome")).isEqualTo("ok");
    assertThat(line.getDouble("durationMs")).isPositive();
  }

  @Test
  void writesTheContextIntoMetaWhenConfigured() throws Exception {
    var loaded =
        (ConfigResult.Valid)
            ConfigLoader.parse(
                "listen: {host: 127.0.0.1, port: 0}\nadmin: {host: 127.0.0.1, port: 0}\n"
                    + "upstream: {url: \""
                    + upstream.url()
                    + "\"}\ntelemetry:\n  tracing: {enabled: true, propagateInMeta: true}\n"
                    + TestAgents.TCP_SERVER_CHECK,
                Map.of());
    Agent meta = StubUpstream.await(Agent.start(loaded, null, InMemorySpanExporter.create()));
    try {
      http.send(
          HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(meta)))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                          + "\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}}}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      StubUpstream.Received received = upstream.received().get(0);
      JsonObject body = new JsonObject(received.body());
      assertThat(body.getJsonObject("params").getJsonObject("_meta").getString("traceparent"))
          .isEqualTo(received.headers().get("traceparent"));
      assertThat(body.getJsonObject("params").getJsonObject("arguments").getString("message"))
          .isEqualTo("hi");
    } finally {
      TestAgents.stop(meta);
    }
  }

  @Test
  void aCollectorThatIsDownCostsCallsNothingAndDroppedSpansAreCounted() throws Exception {
    var loaded =
        (ConfigResult.Valid)
            ConfigLoader.parse(
                "listen: {host: 127.0.0.1, port: 0}\nadmin: {host: 127.0.0.1, port: 0}\n"
                    + "upstream: {url: \""
                    + upstream.url()
                    + "\"}\ntelemetry:\n  tracing: {enabled: true, protocol: http/protobuf, "
                    + "endpoint: \"http://127.0.0.1:1/v1/traces\", exportTimeout: 1s, maxQueueSize: 64}\n"
                    + TestAgents.TCP_SERVER_CHECK,
                Map.of());
    Agent orphan = StubUpstream.await(Agent.start(loaded, null));
    try {
      for (int i = 0; i < 600; i++) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(orphan)))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
      }
      String admin = "http://127.0.0.1:" + orphan.adminPort() + "/metrics";
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                String text =
                    http.send(
                            HttpRequest.newBuilder(URI.create(admin)).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body();
                Matcher m =
                    Pattern.compile("(?m)^mcp_sidecar_spans_dropped_total ([0-9.]+)").matcher(text);
                return m.find() && Double.parseDouble(m.group(1)) > 0;
              });
    } finally {
      TestAgents.stop(orphan);
    }
  }
}
