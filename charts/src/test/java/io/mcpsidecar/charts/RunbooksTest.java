package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.charts.PrometheusRules.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbooks the alerts link to: one per alert, indexed, each with the sections an on-call
 * engineer looks for, and PromQL that parses and reads metrics that exist.
 */
class RunbooksTest {

  private static final List<String> SECTIONS =
      List.of("## Symptom", "## Impact", "## Diagnosis", "## Mitigation", "## Escalation");

  private static List<Rule> rules;
  private static List<Path> runbooks;

  @BeforeAll
  static void load() throws IOException {
    rules = PrometheusRules.load(RepoFiles.rules());
    try (Stream<Path> files = Files.list(RepoFiles.runbooks())) {
      runbooks =
          files
              .filter(p -> p.toString().endsWith(".md"))
              .filter(p -> !p.getFileName().toString().equals("README.md"))
              .sorted()
              .collect(Collectors.toList());
    }
  }

  @Test
  void everyRunbookBelongsToAnAlert() {
    Set<String> expected =
        rules.stream()
            .filter(Rule::isAlert)
            .map(r -> Runbooks.file(r.annotations().get("runbook_url")).getFileName().toString())
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(runbooks.stream().map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void theIndexLinksEveryRunbook() throws IOException {
    String index = Files.readString(RepoFiles.runbooks().resolve("README.md"));

    for (Path runbook : runbooks) {
      assertThat(index).as("docs/runbooks/README.md").contains("(" + runbook.getFileName() + ")");
    }
  }

  @Test
  void everyRunbookHasTheSectionsOnCallLooksFor() throws IOException {
    for (Path runbook : runbooks) {
      String text = Files.readString(runbook);
      assertThat(text).as(runbook.getFileName().toString()).startsWith("# ");
      int previous = -1;
      for (String section : SECTIONS) {
        int at = text.indexOf("\n" + section + "\n");
        assertThat(at).as("%s in %s", section, runbook.getFileName()).isGreaterThan(previous);
        previous = at;
      }
    }
  }

  @Test
  void promQlInTheDocsParsesAndReadsExistingMetrics(@TempDir Path dir) throws IOException {
    MetricCatalog catalog = MetricCatalog.load(RepoFiles.metricsDoc());
    Set<String> recorded = PrometheusRules.recordedNames(rules);
    List<Path> docs = new ArrayList<>(runbooks);
    docs.add(RepoFiles.root().resolve("docs/slo.md"));
    docs.add(RepoFiles.root().resolve("docs/observability.md"));
    List<String> queries = new ArrayList<>();
    for (Path doc : docs) {
      for (String query : PromQl.markdownQueries(Files.readString(doc))) {
        assertThat(PromQl.metricNames(query))
            .as("metrics read in %s by: %s", doc.getFileName(), query)
            .allMatch(name -> catalog.allows(name) || recorded.contains(name) || isExternal(name));
        queries.add(query);
      }
    }
    assertThat(queries)
        .as("PromQL blocks in the runbooks and SLO docs")
        .hasSizeGreaterThan(runbooks.size());
    Path rulesFile = dir.resolve("doc-queries.yaml");
    PrometheusRules.writeAsRecordingRules(rulesFile, "docs", queries);

    Promtool.Run run = Promtool.run(dir, "check", "rules", "--lint=none", rulesFile.toString());

    assertThat(run.exitCode()).as(run.describe()).isZero();
  }

  /**
   * Metrics of standard Kubernetes exporters the runbooks may point at for context (cAdvisor,
   * kube-state-metrics); the alerts and the dashboard never depend on them.
   */
  private static boolean isExternal(String name) {
    return name.startsWith("container_") || name.startsWith("kube_");
  }
}
