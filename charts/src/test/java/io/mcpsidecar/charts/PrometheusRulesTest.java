package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpsidecar.charts.PrometheusRules.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule file passes promtool's checks and its unit tests; every alert is shown both firing and
 * quiet, and every recording rule's value is checked directly or through a tested alert.
 */
class PrometheusRulesTest {

  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

  private static List<Rule> rules;
  private static List<Path> unitTestFiles;

  @BeforeAll
  static void load() throws IOException {
    rules = PrometheusRules.load(RepoFiles.rules());
    try (Stream<Path> files = Files.list(RepoFiles.ruleTests())) {
      unitTestFiles =
          files.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void ruleFilePassesPromtoolCheckWithEveryLint() {
    Promtool.Run run =
        Promtool.run(
            RepoFiles.prometheusDir(),
            "check",
            "rules",
            "--lint=all",
            "--lint-fatal",
            RepoFiles.rules().getFileName().toString());

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.output()).as(run.describe()).contains("SUCCESS");
  }

  @Test
  void promtoolUnitTestsPass() {
    assertThat(unitTestFiles).as("unit test files in " + RepoFiles.ruleTests()).isNotEmpty();
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    unitTestFiles.forEach(f -> args.add(RepoFiles.ruleTests().relativize(f).toString()));

    Promtool.Run run = Promtool.run(RepoFiles.ruleTests(), args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.output()).as(run.describe()).doesNotContain("FAILED");
  }

  @Test
  void everyAlertIsShownFiringAndQuietByTheUnitTests() {
    Map<String, Set<String>> seen = new TreeMap<>();
    for (Path file : unitTestFiles) {
      for (JsonNode test : PrometheusRules.read(file).path("tests")) {
        for (JsonNode check : test.path("alert_rule_test")) {
          String kind = check.path("exp_alerts").isEmpty() ? "quiet" : "firing";
          seen.computeIfAbsent(check.path("alertname").asText(), k -> new TreeSet<>()).add(kind);
        }
      }
    }

    for (String alert : alertNames()) {
      assertThat(seen.getOrDefault(alert, Set.of()))
          .as("unit tests of %s (expected one where it fires and one where it stays quiet)", alert)
          .containsExactly("firing", "quiet");
    }
    assertThat(alertNames()).as("alerts the unit tests name").containsAll(seen.keySet());
  }

  @Test
  void everyRecordingRuleIsCheckedDirectlyOrThroughATestedAlert() {
    Set<String> checkedExprs = new HashSet<>();
    for (Path file : unitTestFiles) {
      for (JsonNode test : PrometheusRules.read(file).path("tests")) {
        test.path("promql_expr_test").forEach(c -> checkedExprs.add(c.path("expr").asText()));
      }
    }
    Set<String> covered = new HashSet<>();
    checkedExprs.forEach(e -> covered.addAll(PromQl.metricNames(e)));
    rules.stream().filter(Rule::isAlert).forEach(r -> covered.addAll(PromQl.metricNames(r.expr())));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Rule rule : rules) {
        if (!rule.isAlert() && covered.contains(rule.record())) {
          grew |= covered.addAll(PromQl.metricNames(rule.expr()));
        }
      }
    }

    List<String> unchecked =
        rules.stream()
            .filter(r -> !r.isAlert())
            .map(Rule::record)
            .filter(r -> !covered.contains(r))
            .toList();
    assertThat(unchecked).as("recording rules no unit test reaches").isEmpty();
  }

  @Test
  void everyAlertHasASeveritySummaryDescriptionAndRunbook() {
    for (Rule alert : rules.stream().filter(Rule::isAlert).toList()) {
      assertThat(alert.labels().get("severity"))
          .as("severity of %s", alert.alert())
          .isIn(SEVERITIES);
      assertThat(alert.annotations())
          .as("annotations of %s", alert.alert())
          .containsKeys("summary", "description", "runbook_url");
      alert
          .annotations()
          .forEach(
              (key, value) -> assertThat(value).as("%s of %s", key, alert.alert()).isNotBlank());
    }
  }

  @Test
  void everyRunbookUrlPointsAtARunbookNamedAfterItsAlertOrNamingIt() throws IOException {
    for (Rule alert : rules.stream().filter(Rule::isAlert).toList()) {
      String url = alert.annotations().get("runbook_url");
      assertThat(url)
          .as("runbook_url of %s", alert.alert())
          .startsWith(RepoFiles.RUNBOOK_URL_PREFIX);
      Path file = Runbooks.file(url);

      assertThat(file).as("runbook of %s", alert.alert()).isRegularFile();
      assertThat(file.getParent()).isEqualTo(RepoFiles.runbooks());
      if (!file.getFileName().toString().equals(Runbooks.fileName(alert.alert()))) {
        assertThat(Files.readString(file))
            .as("%s, shared by several alerts, names %s", file.getFileName(), alert.alert())
            .contains("`" + alert.alert() + "`");
      }
    }
  }

  @Test
  void alertsWithOneNameShareTheirRunbookAndDifferInLabels() {
    Map<String, List<Rule>> byName =
        rules.stream().filter(Rule::isAlert).collect(Collectors.groupingBy(Rule::alert));
    byName.forEach(
        (name, variants) -> {
          assertThat(variants.stream().map(r -> r.annotations().get("runbook_url")).distinct())
              .as("runbook_url of every %s rule", name)
              .hasSize(1);
          assertThat(variants.stream().map(Rule::labels).distinct())
              .as("labels of the %s rules (each must be told apart)", name)
              .hasSize(variants.size());
        });
  }

  @Test
  void rulesReadOnlyDocumentedMetricsOrRecordedSeries() {
    MetricCatalog catalog = MetricCatalog.load(RepoFiles.metricsDoc());
    Set<String> recorded = PrometheusRules.recordedNames(rules);
    for (Rule rule : rules) {
      assertThat(PromQl.metricNames(rule.expr()))
          .as("metrics read by %s (docs/metrics.md lists the names)", rule.name())
          .allMatch(name -> catalog.allows(name) || recorded.contains(name));
    }
  }

  @Test
  void restartPendingAlertNamesEverySettingThatNeedsARestart() throws IOException {
    Set<String> restartOnly = restartOnlySettings();
    String description =
        rules.stream()
            .filter(r -> "McpSidecarConfigRestartPending".equals(r.alert()))
            .findFirst()
            .orElseThrow()
            .annotations()
            .get("description");
    String runbook =
        Files.readString(RepoFiles.runbooks().resolve("mcp-sidecar-config-restart-pending.md"));
    String guide = Files.readString(RepoFiles.root().resolve("docs/operations/config-changes.md"));

    assertThat(restartOnly).hasSizeGreaterThanOrEqualTo(27);
    for (String setting : restartOnly) {
      assertThat(description).as("alert description").contains(setting);
      assertThat(runbook).as("restart-pending runbook").contains(setting);
      assertThat(guide).as("docs/operations/config-changes.md").contains(setting);
    }
  }

  /** The keys the agent config schema marks {@code x-restart-required}, as dotted paths. */
  static Set<String> restartOnlySettings() throws IOException {
    JsonNode schema =
        PrometheusRules.YAML.readTree(
            RepoFiles.root()
                .resolve(
                    "config-schema/src/main/resources/io/mcpsidecar/config/agent-config.schema.json")
                .toFile());
    Set<String> found = new TreeSet<>();
    collectRestartOnly(schema, schema.path("$defs"), "", found, new HashSet<>());
    return found;
  }

  private static void collectRestartOnly(
      JsonNode node, JsonNode defs, String path, Set<String> found, Set<String> seen) {
    if (node.path("x-restart-required").asBoolean(false)) {
      found.add(path);
    }
    String ref = node.path("$ref").asText("");
    if (ref.startsWith("#/$defs/")) {
      String name = ref.substring("#/$defs/".length());
      if (seen.add(name)) {
        collectRestartOnly(defs.path(name), defs, path, found, seen);
        seen.remove(name);
      }
    }
    node.path("properties")
        .fields()
        .forEachRemaining(
            e ->
                collectRestartOnly(
                    e.getValue(),
                    defs,
                    path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
                    found,
                    seen));
  }

  private static Set<String> alertNames() {
    return rules.stream()
        .filter(Rule::isAlert)
        .map(Rule::alert)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
