package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Start, readiness and graceful shutdown (what SIGTERM triggers). */
class AgentLifecycleTest {

  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void reportsReadinessFromTheUpstreamAndServesMetricsOnTheAdminPort() throws Exception {
    try (StubUpstream upstream = new StubUpstream()) {
      Agent agent = TestAgents.start(upstream.url());
      try {
        String admin = "http://127.0.0.1:" + agent.adminPort();
        assertThat(get(admin + "/healthz").statusCode()).isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(admin + "/readyz").statusCode() == 200);
        assertThat(get(admin + "/readyz").body()).contains("\"upstream\"").contains("\"UP\"");
        // the JVM binders are bound a moment after the first ready answer
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(admin + "/metrics").body().contains("jvm_memory_used_bytes"));
        assertThat(get(admin + "/config").body()).contains("\"generation\":1");
        // The admin port never proxies MCP traffic.
        assertThat(get(admin + "/mcp").statusCode()).isEqualTo(404);
      } finally {
        TestAgents.stop(agent);
      }
    }
    Agent orphan = TestAgents.start("http://127.0.0.1:1/mcp");
    try {
      String admin = "http://127.0.0.1:" + orphan.adminPort();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> get(admin + "/readyz").body().contains("checkedAt\":\"2"));
      assertThat(get(admin + "/readyz").statusCode()).isEqualTo(503);
      assertThat(get(admin + "/healthz").statusCode())
          .isEqualTo(200); // liveness never depends on it
    } finally {
      TestAgents.stop(orphan);
    }
  }

  @Test
  void showsTheEffectiveConfigWithValuesFromTheEnvironmentRedacted() throws Exception {
    try (StubUpstream upstream = new StubUpstream()) {
      var loaded =
          (io.mcpsidecar.config.ConfigResult.Valid)
              io.mcpsidecar.config.ConfigLoader.parse(
                  "listen:\n  port: 0\nadmin:\n  port: 0\nupstream:\n  url: http://127.0.0.1:"
                      + upstream.port()
                      + "/mcp?token=${UPSTREAM_TOKEN}\n",
                  java.util.Map.of("UPSTREAM_TOKEN", "s3cr3t-value"));
      Agent agent = StubUpstream.await(Agent.start(loaded, null));
      try {
        String body = get("http://127.0.0.1:" + agent.adminPort() + "/config").body();
        assertThat(body).doesNotContain("s3cr3t-value").contains("redacted");
        assertThat(body).contains("\"hash\":\"" + loaded.sha256() + "\"");
      } finally {
        TestAgents.stop(agent);
      }
    }
  }

  @Test
  void drainLetsCallsInFlightFinishAndEndsStandaloneStreams() throws Exception {
    try (StubUpstream upstream = new StubUpstream()) {
      upstream.handle(
          req -> {
            if (req.method().name().equals("GET")) {
              req.response()
                  .setChunked(true)
                  .putHeader("Content-Type", "text/event-stream")
                  .write("id: 1\ndata: hello\n\n");
            } else {
              upstream
                  .vertx()
                  .setTimer(
                      1500,
                      t ->
                          req.response()
                              .putHeader("Content-Type", "application/json")
                              .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"slept\":true}}"));
            }
          });
      Agent agent =
          TestAgents.start(TestAgents.config(upstream.url(), "shutdown:\n  drainTimeout: 10s\n"));
      URI mcp = URI.create(TestAgents.mcpUrl(agent));
      HttpResponse<InputStream> stream =
          http.send(
              HttpRequest.newBuilder(mcp).header("Accept", "text/event-stream").GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      CompletableFuture<HttpResponse<String>> slowCall =
          http.sendAsync(
              HttpRequest.newBuilder(mcp)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"slow\"}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(5)).until(() -> upstream.received().size() == 2);

      CompletableFuture<Void> stopped = agent.stop().toCompletionStage().toCompletableFuture();

      // The standalone stream ends at once, cleanly: the client reads to the end of the stream.
      assertThat(new String(stream.body().readAllBytes())).isEqualTo("id: 1\ndata: hello\n\n");
      // The call in flight still gets its answer.
      HttpResponse<String> answered = slowCall.get();
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(answered.body()).contains("slept");
      stopped.get();
      assertThat(stopped).isCompleted();
    }
  }
}
