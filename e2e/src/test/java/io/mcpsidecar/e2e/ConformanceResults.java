package io.mcpsidecar.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The machine-readable results of the conformance suite and how we read them.
 *
 * <p>{@code conformance server ... -o DIR} writes one directory per scenario, named {@code
 * server-<scenario>-<ISO timestamp with ':' and '.' replaced by '-'>}, holding {@code checks.json}:
 * an array of checks {@code {id, name, description, status, errorMessage?, details?}} with status
 * one of SUCCESS, FAILURE, WARNING, SKIPPED, INFO. A scenario that times out still writes its
 * checks (plus a {@code scenario-timeout} FAILURE); a scenario that throws in single-scenario mode
 * leaves the directory without {@code checks.json}.
 */
final class ConformanceResults {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code server-<scenario>-2026-11-26T11-13-25-255Z}. */
  private static final Pattern RESULT_DIR =
      Pattern.compile("server-(.+)-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z)");

  private ConformanceResults() {}

  /** Check status, ordered from least to most severe. */
  enum Status {
    INFO,
    SKIPPED,
    SUCCESS,
    WARNING,
    FAILURE;

    static Status parse(String text) {
      try {
        return valueOf(text);
      } catch (IllegalArgumentException | NullPointerException e) {
        // An unknown status is treated as a failure: never let the harness pass by accident.
        return FAILURE;
      }
    }
  }

  record Check(String id, Status status, String errorMessage) {}

  /**
   * One scenario of one leg. {@code error} is set when the scenario produced no checks file (it
   * aborted, or never ran); such a scenario counts as failed.
   */
  record ScenarioResult(String leg, String scenario, List<Check> checks, String error) {

    ScenarioResult withError(String newError) {
      return new ScenarioResult(leg, scenario, checks, newError);
    }

    String key() {
      return leg + " " + scenario;
    }

    boolean ran() {
      return error == null;
    }

    /** The suite's own verdict: the scenario ran and no check failed. */
    boolean passed() {
      return ran() && checks.stream().noneMatch(c -> c.status() == Status.FAILURE);
    }

    long count(Status status) {
      return checks.stream().filter(c -> c.status() == status).count();
    }

    /**
     * One verdict per check id (ids can repeat inside a scenario: loops, retries); the most severe
     * occurrence wins, as the suite's own baseline logic does.
     */
    Map<String, Check> verdictById() {
      Map<String, Check> byId = new LinkedHashMap<>();
      for (Check check : checks) {
        byId.merge(check.id(), check, (a, b) -> b.status().compareTo(a.status()) > 0 ? b : a);
      }
      return byId;
    }

    /** E.g. {@code 3/3}, {@code 1/2 (1 warning)}: passed / (passed + failed), like the suite. */
    String tally() {
      long ok = count(Status.SUCCESS);
      long failed = count(Status.FAILURE);
      long warnings = count(Status.WARNING);
      return ok
          + "/"
          + (ok + failed)
          + (warnings > 0 ? " (" + warnings + " warning" + (warnings > 1 ? "s" : "") + ")" : "");
    }
  }

  /**
   * Reads every scenario result of one leg from {@code resultsDir}. Each name in {@code expected}
   * yields exactly one result (an error result when its directory or checks file is missing);
   * result directories for scenarios not in {@code expected} are read too.
   */
  static List<ScenarioResult> readLeg(String leg, Path resultsDir, List<String> expected) {
    Map<String, Path> latestDirByScenario = new LinkedHashMap<>();
    if (Files.isDirectory(resultsDir)) {
      try (Stream<Path> dirs = Files.list(resultsDir)) {
        dirs.filter(Files::isDirectory)
            .sorted(Comparator.comparing(p -> p.getFileName().toString()))
            .forEach(
                dir -> {
                  Matcher m = RESULT_DIR.matcher(dir.getFileName().toString());
                  if (m.matches()) {
                    latestDirByScenario.put(m.group(1), dir); // sorted: later timestamp wins
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Set<String> scenarios = new LinkedHashSet<>(expected);
    scenarios.addAll(latestDirByScenario.keySet());
    List<ScenarioResult> results = new ArrayList<>();
    for (String scenario : scenarios) {
      Path dir = latestDirByScenario.get(scenario);
      if (dir == null) {
        results.add(
            new ScenarioResult(
                leg, scenario, List.of(), "no result directory (the suite did not run it)"));
        continue;
      }
      Path checksFile = dir.resolve("checks.json");
      if (!Files.isRegularFile(checksFile)) {
        results.add(
            new ScenarioResult(leg, scenario, List.of(), "aborted before writing checks.json"));
        continue;
      }
      results.add(new ScenarioResult(leg, scenario, readChecks(checksFile), null));
    }
    return results;
  }

  static List<Check> readChecks(Path checksFile) {
    JsonNode root;
    try {
      root = JSON.readTree(checksFile.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable " + checksFile, e);
    }
    if (root == null || !root.isArray()) {
      throw new IllegalStateException(checksFile + " is not a JSON array of checks");
    }
    List<Check> checks = new ArrayList<>();
    for (JsonNode node : root) {
      checks.add(
          new Check(
              node.path("id").asText("?"),
              Status.parse(node.path("status").asText(null)),
              Optional.ofNullable(node.get("errorMessage")).map(JsonNode::asText).orElse(null)));
    }
    return checks;
  }
}
