package io.mcpsidecar.agent;

import static io.mcpsidecar.agent.HealthChecksThroughAgentTest.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Limits in Redis as operators run it, with Debian's redis-server: a master, a replica and three
 * Sentinels, and a three-node Redis Cluster. The master is killed (SIGKILL) while calls keep
 * coming: every call is answered as {@code limits.failMode} says (open: all go through; closed: the
 * ones Redis cannot decide get -32018 and nothing else), and the limits work again through the new
 * master (Sentinel) or the restarted node (Cluster) without a restart of the agent.
 */
class RedisSentinelAndClusterTest {

  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  RedisProcesses redis;
  StubUpstream upstream;

  @BeforeEach
  void start() {
    RedisProcesses.assumeInstalled();
    redis = new RedisProcesses(dir);
    upstream = new StubUpstream();
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"));
  }

  @AfterEach
  void stop() {
    if (upstream != null) {
      upstream.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static HttpResponse<String> call(Agent agent, String apiKey) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("X-API-Key", apiKey)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"echo\"}}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** What the calls made during a failover were answered with: status and data.type. */
  static final class Answers {
    final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    void add(HttpResponse<String> r) {
      String kind = Integer.toString(r.statusCode());
      if (r.statusCode() != 200) {
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        kind += " " + error.getJsonObject("data").getString("type");
      }
      counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    Map<String, Integer> snapshot() {
      Map<String, Integer> out = new java.util.TreeMap<>();
      counts.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }
  }

  /** Calls in a loop on another thread until stopped; every answer is recorded. */
  static Thread load(Agent agent, String apiKey, Answers answers, AtomicBoolean running) {
    Thread t =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  answers.add(call(agent, apiKey));
                } catch (Exception e) {
                  answers
                      .counts
                      .computeIfAbsent("exception " + e, k -> new AtomicInteger())
                      .incrementAndGet();
                }
              }
            },
            "load");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String limitsYaml(String failMode, String redisYaml) {
    return "health:\n  server:\n    check: tcp\n"
        + "identity:\n  apiKeys: [{key: load, tenant: load}, {key: probe, tenant: probe}]\n"
        + "limits:\n  backend: redis\n  failMode: "
        + failMode
        + "\n  requests: {limit: 1000000, interval: 1m}\n"
        + "  redis:\n    timeout: 500ms\n    keyPrefix: \"ha:\"\n"
        + "    health: {window: 2s, minCalls: 5, failureRatio: 0.5}\n"
        + redisYaml;
  }

  @ParameterizedTest(name = "failMode {0}")
  @ValueSource(strings = {"open", "closed"})
  void aSentinelFailoverUnderLoadLosesOnlyWhatTheFailModeSays(String failMode) throws Exception {
    RedisProcesses.Node master = redis.server();
    RedisProcesses.Node replica =
        redis.server("--replicaof", "127.0.0.1", Integer.toString(master.port));
    RedisProcesses.waitUntil(
        () -> RedisProcesses.cli(master.port, "INFO", "replication").contains("connected_slaves:1"),
        "the replica to attach");
    List<RedisProcesses.Node> sentinels =
        List.of(
            redis.sentinel("limits", master.port),
            redis.sentinel("limits", master.port),
            redis.sentinel("limits", master.port));
    RedisProcesses.waitUntil(
        () ->
            RedisProcesses.cli(sentinels.get(0).port, "SENTINEL", "replicas", "limits")
                    .contains(Integer.toString(replica.port))
                && RedisProcesses.cli(sentinels.get(0).port, "SENTINEL", "sentinels", "limits")
                    .contains(Integer.toString(sentinels.get(2).port)),
        "the Sentinels to know the replica and each other");
    String sentinelList =
        String.join(", ", sentinels.stream().map(RedisProcesses.Node::address).toList());
    Agent agent =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                limitsYaml(
                    failMode,
                    "    mode: sentinel\n    masterName: limits\n    sentinels: ["
                        + sentinelList
                        + "]\n")));
    try {
      await().atMost(WAIT).until(() -> call(agent, "probe").statusCode() == 200);
      await().atMost(WAIT).until(() -> "up".equals(check(agent, "redis").getString("state")));
      double failOpenBefore = failOpen(agent);

      Answers answers = new Answers();
      AtomicBoolean running = new AtomicBoolean(true);
      Thread loader = load(agent, "load", answers, running);
      await().atMost(WAIT).until(() -> answers.snapshot().getOrDefault("200", 0) >= 20);
      master.kill();
      RedisProcesses.waitUntil(
          () ->
              RedisProcesses.cli(
                      sentinels.get(0).port, "SENTINEL", "get-master-addr-by-name", "limits")
                  .contains(Integer.toString(replica.port)),
          "the Sentinels to promote the replica");
      // decisions go through the new master again: a call of its own is counted there
      await()
          .atMost(WAIT)
          .until(
              () ->
                  call(agent, "probe").statusCode() == 200
                      && RedisProcesses.cli(replica.port, "--scan", "--pattern", "ha:probe*")
                          .contains("ha:probe"));
      await().atMost(WAIT).until(() -> "up".equals(check(agent, "redis").getString("state")));
      running.set(false);
      loader.join(20_000);

      Map<String, Integer> seen = answers.snapshot();
      System.err.println("sentinel failover under load, failMode " + failMode + ": " + seen);
      if (failMode.equals("open")) {
        assertThat(seen.keySet()).as("every call went through: %s", seen).containsOnly("200");
        assertThat(failOpen(agent))
            .as("let through uncounted, and counted as such")
            .isGreaterThan(failOpenBefore);
      } else {
        assertThat(seen.keySet())
            .as("only the calls Redis could not decide were refused: %s", seen)
            .isSubsetOf("200", "503 limiter_unavailable");
      }
      assertThat(seen.getOrDefault("200", 0)).isGreaterThan(20);
    } finally {
      TestAgents.stop(agent);
    }
  }

  private static double failOpen(Agent agent) throws Exception {
    return SharedLimitsThroughRedisTest.metric(
        agent, "mcp_sidecar_limit_decisions_total", "outcome=\"fail_open\"");
  }

  @ParameterizedTest(name = "failMode {0}")
  @ValueSource(strings = {"open"})
  void aThreeNodeClusterSharesLimitsAndRecoversWhenAKilledNodeComesBack(String failMode)
      throws Exception {
    List<RedisProcesses.Node> nodes = List.of(clusterNode(), clusterNode(), clusterNode());
    List<String> create =
        new java.util.ArrayList<>(List.of(RedisProcesses.CLI, "--cluster", "create"));
    nodes.forEach(n -> create.add(n.address()));
    create.add("--cluster-yes");
    String created = RedisProcesses.run(create);
    assertThat(created).as(created).contains("[OK] All 16384 slots covered");
    RedisProcesses.waitUntil(
        () ->
            nodes.stream()
                .allMatch(
                    n ->
                        RedisProcesses.cli(n.port, "CLUSTER", "INFO").contains("cluster_state:ok")),
        "the cluster to be ok");
    String limited =
        limitsYaml(failMode, "    mode: cluster\n    nodes: [" + nodes.get(0).address() + "]\n")
                .replace(
                    "{key: probe, tenant: probe}]",
                    "{key: probe, tenant: probe}, {key: small, tenant: small}]")
            + "tenants:\n  - id: small\n    requests: {limit: 6, interval: 1h}\n";
    Agent a = TestAgents.start(TestAgents.config(upstream.url(), limited));
    Agent b = TestAgents.start(TestAgents.config(upstream.url(), limited));
    try {
      await().atMost(WAIT).until(() -> "up".equals(check(a, "redis").getString("state")));
      await()
          .atMost(WAIT)
          .until(
              () -> call(a, "probe").statusCode() == 200 && call(b, "probe").statusCode() == 200);
      // one limit across both agents, counted in the cluster
      for (int i = 0; i < 3; i++) {
        assertThat(call(a, "small").statusCode()).isEqualTo(200);
        assertThat(call(b, "small").statusCode()).isEqualTo(200);
      }
      assertThat(call(a, "small").statusCode()).isEqualTo(429);
      assertThat(call(b, "small").statusCode()).isEqualTo(429);

      // the node that holds the load tenant's bucket crashes while calls keep coming
      assertThat(call(a, "load").statusCode()).isEqualTo(200);
      RedisProcesses.Node owner =
          nodes.stream()
              .filter(
                  n ->
                      RedisProcesses.cli(n.port, "--scan", "--pattern", "ha:load*")
                          .contains("ha:load"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no node holds ha:load*: "
                              + nodes.stream()
                                  .map(n -> n.port + "=" + RedisProcesses.cli(n.port, "--scan"))
                                  .toList()));
      Answers answers = new Answers();
      AtomicBoolean running = new AtomicBoolean(true);
      Thread loader = load(a, "load", answers, running);
      await().atMost(WAIT).until(() -> answers.snapshot().getOrDefault("200", 0) >= 20);
      owner.kill();
      await()
          .atMost(WAIT)
          .until(() -> "down".equals(check(a, "redis").getString("state")) || failOpen(a) > 0);
      owner.start();
      RedisProcesses.waitUntil(
          () ->
              nodes.stream()
                  .allMatch(
                      n ->
                          RedisProcesses.cli(n.port, "CLUSTER", "INFO")
                              .contains("cluster_state:ok")),
          "the cluster to be ok again");
      await().atMost(WAIT).until(() -> "up".equals(check(a, "redis").getString("state")));
      running.set(false);
      loader.join(20_000);
      System.err.println("cluster node killed and restarted under load: " + answers.snapshot());
      assertThat(answers.snapshot().keySet())
          .as("failMode open: every call went through: %s", answers.snapshot())
          .containsOnly("200");
      // decisions are made in the cluster again (once the limits' connection to the restarted
      // node is back), none let through uncounted
      await()
          .atMost(WAIT)
          .until(
              () -> {
                double before = failOpen(a);
                return call(a, "load").statusCode() == 200 && failOpen(a) == before;
              });
      double failOpenAfter = failOpen(a);
      for (int i = 0; i < 10; i++) {
        assertThat(call(a, "load").statusCode()).isEqualTo(200);
      }
      assertThat(failOpen(a)).isEqualTo(failOpenAfter);
    } finally {
      TestAgents.stop(a);
      TestAgents.stop(b);
    }
  }

  private RedisProcesses.Node clusterNode() {
    return redis.server(
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        "nodes.conf",
        "--cluster-node-timeout",
        "2000");
  }
}
