package io.mcpsidecar.agent;

import static io.mcpsidecar.agent.HealthChecksThroughAgentTest.admin;
import static io.mcpsidecar.agent.HealthChecksThroughAgentTest.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.demo.DemoServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP server checked at the protocol level (a real MCP server, the demo built on the official
 * SDK), Redis checked through the limits' link (a real redis-server), and a reload that re-plans
 * the checks.
 */
class ServerCheckThroughAgentTest {

  static final Duration WAIT = Duration.ofSeconds(40);

  private static final String FAST_SERVER_CHECK =
      "health:\n  server:\n    interval: 500ms\n    timeout: 400ms\n";

  @Test
  void readinessFollowsAnMcpPingOfTheServerThroughAKillAndARestart() throws Exception {
    DemoServer server = DemoServer.start("127.0.0.1", 0, false);
    int port = server.port();
    Agent agent = TestAgents.start(TestAgents.config(server.url(), FAST_SERVER_CHECK));
    try {
      await().atMost(WAIT).until(() -> admin(agent, "/readyz").statusCode() == 200);
      JsonObject up = check(agent, "upstream");
      assertThat(up.getString("kind")).isEqualTo("mcp");
      assertThat(up.getString("detail")).contains("ping answered").contains("in a session");
      assertThat(up.getBoolean("critical")).isTrue();
      assertThat(up.getString("status")).isEqualTo("UP");

      server.close();
      await().atMost(WAIT).until(() -> admin(agent, "/readyz").statusCode() == 503);
      JsonObject down = check(agent, "upstream");
      assertThat(down.getString("state")).isEqualTo("down");
      assertThat(down.getInteger("consecutiveFailures")).isGreaterThanOrEqualTo(3);
      assertThat(admin(agent, "/healthz").statusCode()).isEqualTo(200);
      assertThat(
              RawHttp.metric(
                  agent, "mcp_sidecar_dependency_up{critical=\"true\",dependency=\"upstream\"}"))
          .isEqualTo(0);

      // a new server on the same port knows nothing of the old session: the check initializes
      // again
      server = DemoServer.start("127.0.0.1", port, false);
      await().atMost(WAIT).until(() -> admin(agent, "/readyz").statusCode() == 200);
      assertThat(check(agent, "upstream").getString("detail")).contains("ping answered");
      assertThat(
              RawHttp.metric(
                  agent,
                  "mcp_sidecar_dependency_transitions_total{dependency=\"upstream\",to=\"up\"}"))
          .isEqualTo(2);
    } finally {
      TestAgents.stop(agent);
      server.close();
    }
  }

  @Test
  void aStatelessServerIsPingedWithoutASession() throws Exception {
    try (DemoServer server = DemoServer.start("127.0.0.1", 0, true)) {
      Agent agent = TestAgents.start(TestAgents.config(server.url(), FAST_SERVER_CHECK));
      try {
        await().atMost(WAIT).until(() -> admin(agent, "/readyz").statusCode() == 200);
        assertThat(check(agent, "upstream").getString("detail")).contains("ping answered");
      } finally {
        TestAgents.stop(agent);
      }
    }
  }

  @Test
  void redisIsReportedThroughTheSameChecksAndFollowsAKillAndARestart() throws Exception {
    try (TestRedis redis = new TestRedis();
        DemoServer server = DemoServer.start("127.0.0.1", 0, false)) {
      Agent agent =
          TestAgents.start(
              TestAgents.config(
                  server.url(),
                  FAST_SERVER_CHECK
                      + "limits:\n  backend: redis\n  redis:\n    url: "
                      + redis.url()
                      + "\n"));
      try {
        await().atMost(WAIT).until(() -> "up".equals(check(agent, "redis").getString("state")));
        assertThat(check(agent, "redis").getString("kind")).isEqualTo("redis");
        assertThat(check(agent, "redis").getBoolean("critical")).isFalse();

        redis.stop();
        await().atMost(WAIT).until(() -> "down".equals(check(agent, "redis").getString("state")));
        assertThat(admin(agent, "/readyz").statusCode()).as("Redis is not critical").isEqualTo(200);
        assertThat(
                RawHttp.metric(
                    agent, "mcp_sidecar_dependency_up{critical=\"false\",dependency=\"redis\"}"))
            .isEqualTo(0);

        redis.start();
        await().atMost(WAIT).until(() -> "up".equals(check(agent, "redis").getString("state")));
      } finally {
        TestAgents.stop(agent);
      }
    }
  }

  @Test
  void aReloadReplansTheChecks(@TempDir Path dir) throws Exception {
    try (DemoServer server = DemoServer.start("127.0.0.1", 0, false)) {
      String base =
          "listen: {host: 127.0.0.1, port: 0}\nadmin: {host: 127.0.0.1, port: 0}\n"
              + "upstream:\n  url: "
              + server.url()
              + "\n"
              + FAST_SERVER_CHECK;
      Path file = dir.resolve("agent.yaml");
      Files.writeString(file, base);
      var loaded =
          (io.mcpsidecar.config.ConfigResult.Valid) io.mcpsidecar.config.ConfigLoader.load(file);
      Agent agent =
          StubUpstream.await(
              Agent.start(
                  loaded, new Agent.Reload(file, Duration.ofMillis(100), Duration.ofMillis(50))));
      try {
        await().atMost(WAIT).until(() -> admin(agent, "/readyz").statusCode() == 200);
        assertThat(check(agent, "here")).isNull();

        Files.writeString(
            file,
            base
                + "  dependencies:\n    - name: here\n      dns: localhost\n"
                + "      interval: 200ms\n      timeout: 150ms\n      critical: true\n");
        await()
            .atMost(WAIT)
            .until(
                () ->
                    check(agent, "here") != null
                        && "up".equals(check(agent, "here").getString("state")));
        assertThat(check(agent, "upstream").getString("state"))
            .as("an unchanged check keeps its state")
            .isEqualTo("up");

        Files.writeString(file, base);
        await().atMost(WAIT).until(() -> check(agent, "here") == null);
        assertThat(
                RawHttp.metric(
                    agent, "mcp_sidecar_dependency_up{critical=\"true\",dependency=\"here\"}"))
            .as("a removed dependency leaves no series")
            .isEqualTo(-1);
      } finally {
        TestAgents.stop(agent);
      }
    }
  }
}
