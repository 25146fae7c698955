package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agents sharing limits through a real Redis (embedded-redis): one limit across replicas, a day
 * quota that outlives an agent, and the fail-open / fail-closed behaviour while Redis is down,
 * recovering by itself when it is back.
 */
class SharedLimitsThroughRedisTest {

  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final String TOOLS_CALL =
      "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";
  static TestRedis redis;
  static StubUpstream upstream;

  @BeforeAll
  static void start() {
    redis = new TestRedis();
    upstream = new StubUpstream();
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"));
  }

  @AfterAll
  static void stop() {
    upstream.close();
    redis.close();
  }

  /** An agent on the shared Redis, returned once its connection is up. */
  static Agent agent(String prefix, String limits) throws Exception {
    Agent agent =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                "identity:\n  apiKeys: [{key: warm-up, tenant: warm-up}]\n"
                    + "limits:\n  backend: redis\n  redis:\n    url: "
                    + redis.url()
                    + "\n    keyPrefix: \""
                    + prefix
                    + "\"\n    timeout: 500ms\n"
                    + limits));
    // It connects asynchronously; a tenant of its own tells when, without touching the others.
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> call(agent, "X-API-Key", "warm-up").statusCode() == 200);
    return agent;
  }

  static String prefix() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  static HttpResponse<String> call(Agent agent, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(TOOLS_CALL));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The sum of a metric's series that carry every one of {@code labels} ({@code k="v"}). */
  static double metric(Agent agent, String name, String... labels) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + agent.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double total = 0;
    for (String line : text.split("\n")) {
      boolean series = line.startsWith(name + "{") || line.startsWith(name + " ");
      if (series && java.util.Arrays.stream(labels).allMatch(line::contains)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  @Test
  void twoAgentsSharingOneRedisEnforceOneLimit() throws Exception {
    String prefix = prefix();
    Agent one = agent(prefix, "  requests: {limit: 10, interval: 1h}\n  failMode: closed\n");
    Agent two = agent(prefix, "  requests: {limit: 10, interval: 1h}\n  failMode: closed\n");
    try {
      int allowed = 0;
      int refused = 0;
      for (int i = 0; i < 10; i++) {
        for (Agent a : new Agent[] {one, two}) {
          int status = call(a).statusCode();
          allowed += status == 200 ? 1 : 0;
          refused += status == 429 ? 1 : 0;
        }
      }
      assertThat(allowed).isEqualTo(10);
      assertThat(refused).isEqualTo(10);
    } finally {
      TestAgents.stop(one);
      TestAgents.stop(two);
    }
  }

  @Test
  void anAgentRestartKeepsADayQuota() throws Exception {
    String prefix = prefix();
    String limits = "  quotas: {day: 3}\n  failMode: closed\n";
    Agent first = agent(prefix, limits);
    try {
      assertThat(call(first).statusCode()).isEqualTo(200);
      assertThat(call(first).statusCode()).isEqualTo(200);
    } finally {
      TestAgents.stop(first);
    }

    Agent restarted = agent(prefix, limits);
    try {
      assertThat(call(restarted).statusCode()).isEqualTo(200);
      HttpResponse<String> refused = call(restarted);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(new JsonObject(refused.body()).getJsonObject("error").getInteger("code"))
          .isEqualTo(-32013);
    } finally {
      TestAgents.stop(restarted);
    }
  }

  @Test
  void whileRedisIsDownFailClosedRefusesAndFailOpenAllowsThenBothResume() throws Exception {
    String prefix = prefix();
    Agent closed = agent(prefix, "  requests: {limit: 1000, interval: 1h}\n  failMode: closed\n");
    Agent open = agent(prefix, "  requests: {limit: 1000, interval: 1h}\n  failMode: open\n");
    try {
      assertThat(call(closed).statusCode()).isEqualTo(200);
      assertThat(call(open).statusCode()).isEqualTo(200);

      redis.stop();
      try {
        HttpResponse<String> refused = call(closed);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(refused.body()).getJsonObject("error").getInteger("code"))
            .isEqualTo(-32018);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(call(open).statusCode()).isEqualTo(200);
        assertThat(
                metric(
                    open,
                    "mcp_sidecar_limit_decisions_total",
                    "outcome=\"fail_open\"",
                    "scope=\"backend\"",
                    "tenant=\"anonymous\""))
            .isPositive();
        assertThat(metric(closed, "mcp_sidecar_limit_backend_errors_total")).isPositive();
      } finally {
        redis.start();
      }

      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> call(closed).statusCode() == 200);
    } finally {
      TestAgents.stop(closed);
      TestAgents.stop(open);
    }
  }
}
