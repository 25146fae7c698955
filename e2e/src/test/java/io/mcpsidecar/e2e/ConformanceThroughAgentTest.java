package io.mcpsidecar.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.mcpsidecar.e2e.Comparison.Verdict;
import io.mcpsidecar.e2e.ConformanceResults.ScenarioResult;
import io.mcpsidecar.e2e.ConformanceSuite.Leg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the official MCP conformance suite against the reference server ({@code server-everything})
 * twice, directly and through the agent, and asserts that every scenario and every check that
 * passes directly also passes through the agent.
 *
 * <p>Each run gets its own server-everything process (same package, same version) so that state
 * left behind by the first run (sessions, subscriptions, event stores) cannot colour the second.
 *
 * <p>System properties (set by the module's POM; override with {@code -D}): {@code e2e.baseDir}
 * (the e2e module directory, holding {@code node_modules}), {@code e2e.agentJar}, {@code
 * e2e.outputDir} (reports; default {@code target/conformance}) and {@code e2e.agentUrl} (an agent
 * that is already running: then none is started).
 */
class ConformanceThroughAgentTest {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  /** Scenarios server-everything is known to pass at the 2025-11-25 wire: the harness canaries. */
  private static final Set<String> CANARIES = Set.of("server-initialize", "ping", "tools-list");

  private static final List<ChildProcess> children = new ArrayList<>();
  private static Path baseDir;
  private static Path outDir;
  private static ConformanceSuite suite;
  private static ChildProcess agent;
  private static String directUrl;
  private static String agentUrl;

  @BeforeAll
  static void startServersAndAgent() throws IOException {
    baseDir = Path.of(System.getProperty("e2e.baseDir", System.getProperty("user.dir")));
    outDir =
        Path.of(
            System.getProperty("e2e.outputDir", baseDir.resolve("target/conformance").toString()));
    deleteRecursively(outDir);
    Files.createDirectories(outDir);

    try {
      suite = ConformanceSuite.locate(baseDir);
    } catch (IllegalStateException e) {
      fail(e.getMessage()); // never skip: a missing toolchain must be loud
    }

    int directPort = ChildProcess.freePort();
    startEverything("everything-direct", directPort);
    directUrl = "http://127.0.0.1:" + directPort + "/mcp";

    String externalAgent = System.getProperty("e2e.agentUrl", "").trim();
    if (!externalAgent.isEmpty()) {
      agentUrl = externalAgent;
      return;
    }

    Path agentJar =
        Path.of(
                System.getProperty(
                    "e2e.agentJar",
                    baseDir.resolve("../agent/target/mcp-sidecar-agent.jar").toString()))
            .normalize();
    if (!Files.isRegularFile(agentJar)) {
      fail(
          "Agent jar not found at "
              + agentJar
              + ". Build it first: `./mvnw -B -pl e2e -am verify` builds the agent before this"
              + " module (or `./mvnw -B -pl agent -am package -DskipTests`).");
    }
    int upstreamPort = ChildProcess.freePort();
    startEverything("everything-behind-agent", upstreamPort);

    int listenPort = ChildProcess.freePort();
    int adminPort = ChildProcess.freePort();
    Path config = outDir.resolve("agent-config.yaml");
    Files.writeString(
        config,
        """
        listen:
          host: 127.0.0.1
          port: %d
        admin:
          host: 127.0.0.1
          port: %d
        upstream:
          url: http://127.0.0.1:%d/mcp
        """
            .formatted(listenPort, adminPort, upstreamPort),
        StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    agent =
        ChildProcess.start(
            "agent",
            List.of(java, "-jar", agentJar.toString(), "--config", config.toString()),
            Map.of(),
            baseDir,
            outDir.resolve("agent.log"));
    children.add(agent);
    agent.awaitHttp(
        "http://127.0.0.1:" + adminPort + "/readyz", status -> status == 200, READY_TIMEOUT);
    agentUrl = "http://127.0.0.1:" + listenPort + "/mcp";
  }

  private static void startEverything(String name, int port) {
    ChildProcess server =
        ChildProcess.start(
            name,
            List.of(
                suite.node().toString(), suite.everythingEntryPoint().toString(), "streamableHttp"),
            Map.of("PORT", Integer.toString(port)),
            baseDir,
            outDir.resolve(name + ".log"));
    children.add(server);
    // Any HTTP answer means it listens (a bare GET without a session is a 400).
    server.awaitHttp("http://127.0.0.1:" + port + "/mcp", status -> status > 0, READY_TIMEOUT);
  }

  @AfterAll
  static void stopAll() {
    // Reverse start order: the agent before its upstream.
    for (int i = children.size() - 1; i >= 0; i--) {
      children.get(i).close();
    }
    children.clear();
  }

  @Test
  void everyScenarioDoesAtLeastAsWellThroughTheAgent() throws IOException {
    List<Leg> legs = suite.planLegs();
    long started = System.nanoTime();
    List<ScenarioResult> direct = suite.runAll(legs, directUrl, outDir.resolve("direct"));
    long directSeconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    started = System.nanoTime();
    List<ScenarioResult> throughAgent = suite.runAll(legs, agentUrl, outDir.resolve("agent"));
    long agentSeconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

    Comparison comparison = Comparison.of(direct, throughAgent);
    Path summary = outDir.resolve("summary.md");
    Files.writeString(
        summary,
        comparison.toMarkdown(
            List.of(
                "suite: `"
                    + ConformanceSuite.CONFORMANCE
                    + "@"
                    + suite.packageVersion(ConformanceSuite.CONFORMANCE)
                    + "` (server scenarios, legs: "
                    + String.join(", ", legs.stream().map(Leg::name).toList())
                    + ")",
                "server: `"
                    + ConformanceSuite.EVERYTHING
                    + "@"
                    + suite.packageVersion(ConformanceSuite.EVERYTHING)
                    + "` (`streamableHttp`), Node "
                    + suite.nodeVersion(),
                "direct: " + directUrl + " (" + directSeconds + " s)",
                "through the agent: " + agentUrl + " (" + agentSeconds + " s)",
                "raw output: `direct/<leg>/`, `agent/<leg>/` (stdout, stderr, checks.json per"
                    + " scenario)")),
        StandardCharsets.UTF_8);

    String where = " (summary: " + summary + ")";
    // A broken harness must not pass vacuously: the suite ran, and the server did pass things.
    assertThat(comparison.directRan())
        .as("scenarios that produced results directly" + where)
        .isGreaterThanOrEqualTo(50);
    assertThat(comparison.directPassed())
        .as("scenarios passing directly" + where)
        .isGreaterThanOrEqualTo(10);
    for (String canary : CANARIES) {
      assertThat(direct)
          .as("canary scenario '%s' must pass directly at 2025-11-25%s", canary, where)
          .anyMatch(r -> r.leg().equals("2025-11-25") && r.scenario().equals(canary) && r.passed());
    }

    List<Comparison.Row> regressions = comparison.withVerdict(Verdict.REGRESSION);
    if (!regressions.isEmpty()) {
      fail(
          regressions.size()
              + " scenario(s) do worse through the agent than directly"
              + (agent == null ? "" : " (agent " + agent.status() + ")")
              + where
              + ":\n"
              + comparison.describeRegressions());
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
