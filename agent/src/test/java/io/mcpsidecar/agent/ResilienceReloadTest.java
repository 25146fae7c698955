package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resilience settings apply live: a reload rebuilds the breaker closed and sets deadlines. */
class ResilienceReloadTest {

  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;
  private final StubUpstream upstream = new StubUpstream();
  private Agent agent;

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  private String config(String upstreamYaml) {
    return "listen:\n  host: 127.0.0.1\n  port: 0\nadmin:\n  host: 127.0.0.1\n  port: 0\n"
        + "upstream:\n  url: "
        + upstream.url()
        + "\n"
        + upstreamYaml;
  }

  private int call(String tool) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\""
                            + tool
                            + "\"}}"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aReloadStartsANewBreakerClosedAndSetsNewDeadlines() throws Exception {
    upstream.handle(req -> req.response().setStatusCode(500).end());
    Path file = dir.resolve("config.yaml");
    String breaker =
        "  circuitBreaker: {enabled: true, window: 2, minimumCalls: 2, failureRate: 50,"
            + " openFor: 10m}\n";
    Files.writeString(file, config(breaker));
    agent =
        StubUpstream.await(
            Agent.start(
                (ConfigResult.Valid) ConfigLoader.load(file),
                new Agent.Reload(file, Duration.ofMillis(20), Duration.ofMillis(20))));
    assertThat(call("echo")).isEqualTo(500);
    assertThat(call("echo")).isEqualTo(500);
    assertThat(call("echo")).as("open for 10 minutes").isEqualTo(503);

    upstream.handle(
        req ->
            upstream
                .vertx()
                .setTimer(
                    700,
                    t ->
                        req.response()
                            .putHeader("Content-Type", "application/json")
                            .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}")));
    Files.writeString(
        file,
        config(
            breaker.replace("openFor: 10m", "openFor: 9m")
                + "  timeouts: {tools: [{match: \"quick_*\", timeout: 200ms}]}\n"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> agent.config().get().upstream().circuitBreaker().openFor().toMinutes() == 9);

    assertThat(call("echo")).as("a new breaker, closed").isEqualTo(200);
    assertThat(call("quick_sum")).as("the new deadline").isEqualTo(504);
  }
}
