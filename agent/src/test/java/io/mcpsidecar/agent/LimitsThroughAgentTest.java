package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Limits through a real agent in front of a scripted server: what counts, what a refusal looks like
 * on the wire for each scope, the RateLimit headers on allowed answers, the audit trail, and a live
 * reload that changes a limit without resetting what was consumed.
 */
class LimitsThroughAgentTest {

  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;
  StubUpstream upstream;
  Agent agent;
  final List<HttpServerResponse> held = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startUpstream() {
    upstream = new StubUpstream();
    upstream.handle(
        req -> {
          if (req.getHeader("X-Hold") != null) {
            held.add(req.response());
            return;
          }
          req.response()
              .putHeader("Content-Type", "application/json")
              .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        });
  }

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  Agent start(String yaml) {
    agent = TestAgents.start(TestAgents.config(upstream.url(), yaml));
    return agent;
  }

  static String call(String method, String name) {
    return "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\""
        + method
        + "\",\"params\":{\"name\":\""
        + name
        + "\"}}";
  }

  HttpResponse<String> post(String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> tool(String name) throws Exception {
    return post(call("tools/call", name));
  }

  static JsonObject data(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error").getJsonObject("data");
  }

  static int code(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error").getInteger("code");
  }

  @Test
  void allowedCallsCarryTheRateLimitHeaders() throws Exception {
    start("limits:\n  requests: {limit: 5, interval: 1m}\n  quotas: {day: 100}\n");

    HttpResponse<String> response = tool("echo");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("RateLimit-Policy"))
        .hasValue("\"requests\";q=5;w=60, \"quota_day\";q=100;w=86400");
    assertThat(response.headers().firstValue("RateLimit").orElseThrow())
        .startsWith("\"requests\";r=4;t=12, \"quota_day\";r=99;t=");
  }

  @Test
  void countsCallsNotHttpPlumbing() throws Exception {
    start("limits:\n  requests: {limit: 1, interval: 1h}\n");
    String initialize =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-03-26\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    for (int i = 0; i < 5; i++) {
      assertThat(post(initialize).statusCode()).isEqualTo(200);
      assertThat(post(call("tools/list", "x")).statusCode()).isEqualTo(200);
      assertThat(
              post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode())
          .isEqualTo(200);
    }

    assertThat(tool("echo").statusCode()).isEqualTo(200);
    assertThat(tool("echo").statusCode()).isEqualTo(429);
  }

  @Test
  void anExhaustedDayQuotaSaysWhenItsWindowEnds() throws Exception {
    start("limits:\n  quotas: {day: 1}\n");
    ListAppender<ILoggingEvent> audit = new ListAppender<>();
    audit.start();
    ((Logger) LoggerFactory.getLogger("mcp.audit")).addAppender(audit);
    try {
      assertThat(tool("echo").statusCode()).isEqualTo(200);
      HttpResponse<String> refused = tool("echo");

      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(code(refused)).isEqualTo(-32013);
      assertThat(data(refused).getString("type")).isEqualTo("quota_exhausted");
      assertThat(data(refused).getString("scope")).isEqualTo("quota_day");
      assertThat(data(refused).getString("resetAt"))
          .isEqualTo(
              LocalDate.now(ZoneOffset.UTC)
                  .plusDays(1)
                  .atStartOfDay()
                  .toInstant(ZoneOffset.UTC)
                  .toString());
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(audit.list)
          .anySatisfy(
              e -> {
                assertThat(e.getLoggerName()).isEqualTo("mcp.audit");
                assertThat(e.getKeyValuePairs().toString())
                    .contains("event=\"limit_refused\"")
                    .contains("reason=\"quota_day\"")
                    .contains("tenant=\"anonymous\"")
                    .contains(refused.headers().firstValue("X-Request-Id").get());
              });
    } finally {
      ((Logger) LoggerFactory.getLogger("mcp.audit")).detachAppender(audit);
    }
  }

  @Test
  void refusesCallsBeyondTheTenantsConcurrency() throws Exception {
    start("limits:\n  concurrency: 1\n");
    CompletableFuture<HttpResponse<String>> first =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
                .header("Content-Type", "application/json")
                .header("X-Hold", "1")
                .POST(HttpRequest.BodyPublishers.ofString(call("tools/call", "slow")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

    HttpResponse<String> second = tool("echo");
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(code(second)).isEqualTo(-32014);
    assertThat(second.headers().firstValue("Retry-After")).hasValue("1");

    held.get(0).putHeader("Content-Type", "application/json").end("{}");
    assertThat(first.get().statusCode()).isEqualTo(200);
    assertThat(tool("echo").statusCode()).isEqualTo(200);
  }

  @Test
  void aToolRuleLimitsTheToolsItMatches() throws Exception {
    start("limits:\n  tools:\n    - {match: search_*, limit: 1, interval: 1h}\n");

    assertThat(tool("search_docs").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = tool("search_web");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(code(refused)).isEqualTo(-32012);
    assertThat(data(refused).getString("scope")).isEqualTo("tool");
    assertThat(data(refused).getString("tool")).isEqualTo("search_*");
    assertThat(tool("echo").statusCode()).isEqualTo(200);
  }

  @Test
  void theGlobalCeilingHoldsForAllTenantsTogether() throws Exception {
    start(
        "identity:\n  apiKeys:\n    - {key: a, tenant: a}\n    - {key: b, tenant: b}\n"
            + "limits:\n  global: {limit: 2, interval: 1h}\n");

    assertThat(post(call("tools/call", "echo"), "X-API-Key", "a").statusCode()).isEqualTo(200);
    assertThat(post(call("tools/call", "echo"), "X-API-Key", "b").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = post(call("tools/call", "echo"), "X-API-Key", "b");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(data(refused).getString("scope")).isEqualTo("global");
  }

  @Test
  void aReloadRaisesALimitWithoutResettingWhatWasConsumed() throws Exception {
    Path file = dir.resolve("config.yaml");
    String base =
        "listen:\n  host: 127.0.0.1\n  port: 0\nadmin:\n  host: 127.0.0.1\n  port: 0\n"
            + "upstream:\n  url: "
            + upstream.url()
            + "\n";
    Files.writeString(file, base + "limits:\n  requests: {limit: 2, interval: 1h}\n");
    agent =
        StubUpstream.await(
            Agent.start(
                (ConfigResult.Valid) ConfigLoader.load(file),
                new Agent.Reload(file, Duration.ofMillis(20), Duration.ofMillis(20))));
    assertThat(tool("echo").statusCode()).isEqualTo(200);
    assertThat(tool("echo").statusCode()).isEqualTo(200);
    assertThat(tool("echo").statusCode()).isEqualTo(429);

    Files.writeString(file, base + "limits:\n  requests: {limit: 3, interval: 1h}\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.config().snapshot().generation() == 2);

    assertThat(tool("echo").statusCode()).as("the one call the raise added").isEqualTo(200);
    assertThat(tool("echo").statusCode()).isEqualTo(429);
  }
}
