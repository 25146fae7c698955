package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Readiness does not wait for the span exporter or the JVM metrics: both are set up on a worker
 * thread after the listeners are up, and spans from before then are not lost.
 */
class DeferredStartTest {

  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static StubUpstream upstream;

  @BeforeAll
  static void upstream() {
    upstream = new StubUpstream();
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[]}}"));
  }

  @AfterAll
  static void close() {
    upstream.close();
  }

  private static ConfigResult.Valid config(String tracing) {
    return (ConfigResult.Valid)
        ConfigLoader.parse(
            "listen: {host: 127.0.0.1, port: 0}\nadmin: {host: 127.0.0.1, port: 0}\n"
                + "upstream: {url: \""
                + upstream.url()
                + "\"}\ntelemetry:\n  tracing: "
                + tracing
                + "\n"
                + TestAgents.TCP_SERVER_CHECK, // the stub is no MCP server
            Map.of());
  }

  private static HttpResponse<String> get(Agent agent, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.adminPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> call(Agent agent) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void isReadyAndTracesCallsWhileTheExporterIsStillBeingBuilt() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    CountDownLatch building = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Supplier<SpanExporter> slowExporter =
        () -> {
          building.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return spans;
        };
    Agent agent =
        StubUpstream.await(Agent.startDeferred(config("{enabled: true}"), null, slowExporter));
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> get(agent, "/readyz").statusCode() == 200);
      // the exporter is being built now, on a worker thread, and has not finished
      assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(get(agent, "/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> early = call(agent);
      assertThat(early.statusCode()).isEqualTo(200);
      String requestId = early.headers().firstValue("X-Request-Id").orElseThrow();
      assertThat(spans.getFinishedSpanItems()).isEmpty();

      release.countDown();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  spans.getFinishedSpanItems().stream()
                      .anyMatch(
                          s ->
                              requestId.equals(
                                  s.getAttributes()
                                      .get(
                                          io.opentelemetry.api.common.AttributeKey.stringKey(
                                              "mcp_sidecar.request.id")))));
      assertThat(get(agent, "/metrics").body())
          .containsPattern("(?m)^mcp_sidecar_spans_dropped_total 0\\.0$");
    } finally {
      release.countDown();
      TestAgents.stop(agent);
    }
  }

  @Test
  void isReadyWithACollectorThatNeverAnswersAndShowsJvmMetricsSoonAfter() throws Exception {
    // accepts connections (the kernel's backlog) but never reads or answers
    try (ServerSocket silent = new ServerSocket(0)) {
      Agent agent =
          StubUpstream.await(
              Agent.start(
                  config(
                      "{enabled: true, protocol: http/protobuf, endpoint: \"http://127.0.0.1:"
                          + silent.getLocalPort()
                          + "/v1/traces\", exportTimeout: 1s}"),
                  null));
      try {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(agent, "/readyz").statusCode() == 200);
        assertThat(call(agent).statusCode()).isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(get(agent, "/metrics").body())
                        .contains(
                            "jvm_memory_used_bytes",
                            "jvm_gc_",
                            "jvm_threads_live_threads",
                            "jvm_classes_loaded_classes",
                            "process_cpu_time_ns_total",
                            "process_uptime_seconds",
                            "system_cpu_count"));
      } finally {
        TestAgents.stop(agent);
      }
    }
  }

  @Test
  void bindsTheJvmMetricsEvenWhenReadinessIsNeverAsked() throws Exception {
    Agent agent = StubUpstream.await(Agent.start(config("{enabled: false}"), null));
    try {
      // only /metrics is scraped: the fallback starts the binders a moment after the listeners
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(agent, "/metrics").body().contains("process_cpu_time_ns_total"));
    } finally {
      TestAgents.stop(agent);
    }
  }

  @Test
  void stopsCleanlyBeforeTheBackgroundSetupBegins() {
    Agent agent = StubUpstream.await(Agent.start(config("{enabled: true}"), null));
    TestAgents.stop(agent); // no /readyz asked and well within the fallback delay
  }
}
