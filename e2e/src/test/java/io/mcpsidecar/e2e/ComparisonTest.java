package io.mcpsidecar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.e2e.Comparison.Verdict;
import io.mcpsidecar.e2e.ConformanceResults.ScenarioResult;
import io.mcpsidecar.e2e.ConformanceResults.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's own logic, on result directories shaped like the suite's. */
class ComparisonTest {

  @TempDir Path dir;

  @Test
  void readsResultDirectoriesByScenarioNameAndMarksMissingOnes() throws IOException {
    Path results = dir.resolve("results");
    writeChecks(
        results.resolve("server-tools-call-image-2026-11-26T11-13-25-802Z"),
        """
        [{"id":"tools-call-image","status":"FAILURE","errorMessage":"No image content found"},
         {"id":"wire-schema-valid","status":"SUCCESS"}]
        """);
    // An older run of the same scenario is superseded by the later timestamp.
    writeChecks(
        results.resolve("server-ping-2026-11-26T11-13-25-000Z"),
        "[{\"id\":\"ping\",\"status\":\"FAILURE\"}]");
    writeChecks(
        results.resolve("server-ping-2026-11-26T11-13-26-000Z"),
        "[{\"id\":\"ping\",\"status\":\"SUCCESS\"},{\"id\":\"x\",\"status\":\"WARNING\"}]");
    Files.createDirectories(results.resolve("server-tasks-lifecycle-2026-11-26T11-13-27-000Z"));

    List<ScenarioResult> leg =
        ConformanceResults.readLeg(
            "2025-11-25",
            results,
            List.of("ping", "tools-call-image", "tasks-lifecycle", "never-ran"));

    assertThat(leg)
        .extracting(ScenarioResult::scenario)
        .containsExactly("ping", "tools-call-image", "tasks-lifecycle", "never-ran");
    assertThat(leg.get(0).passed()).isTrue();
    assertThat(leg.get(0).tally()).isEqualTo("1/1 (1 warning)");
    assertThat(leg.get(1).passed()).isFalse();
    assertThat(leg.get(1).tally()).isEqualTo("1/2");
    assertThat(leg.get(1).checks().get(0).errorMessage()).isEqualTo("No image content found");
    assertThat(leg.get(2).ran()).isFalse();
    assertThat(leg.get(3).ran()).isFalse();
    assertThat(leg.get(3).passed()).isFalse();
  }

  @Test
  void aCheckPassingOnlyDirectlyIsARegressionEvenIfBothRunsFailTheScenario() {
    ScenarioResult direct = result("a", check("one", Status.SUCCESS), check("two", Status.FAILURE));
    ScenarioResult agent = result("a", check("one", Status.FAILURE), check("two", Status.FAILURE));

    Comparison comparison = Comparison.of(List.of(direct), List.of(agent));

    assertThat(comparison.rows())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.verdict()).isEqualTo(Verdict.REGRESSION);
              assertThat(row.checkRegressions())
                  .extracting(Comparison.CheckRegression::checkId)
                  .containsExactly("one");
            });
    assertThat(comparison.describeRegressions()).contains("[leg] a", "one: SUCCESS directly");
  }

  @Test
  void repeatedCheckIdsCollapseToTheMostSevereOccurrence() {
    ScenarioResult direct =
        result("a", check("loop", Status.SUCCESS), check("loop", Status.SUCCESS));
    ScenarioResult agent =
        result("a", check("loop", Status.SUCCESS), check("loop", Status.FAILURE));

    assertThat(Comparison.of(List.of(direct), List.of(agent)).withVerdict(Verdict.REGRESSION))
        .hasSize(1);
  }

  @Test
  void missingThroughTheAgentIsARegressionAndFixingAFailureIsAnImprovement() {
    ScenarioResult passes = result("passes", check("c", Status.SUCCESS));
    ScenarioResult fails = result("fails", check("c", Status.FAILURE));
    ScenarioResult fixed = result("fails", check("c", Status.SUCCESS));

    Comparison comparison = Comparison.of(List.of(passes, fails), List.of(fixed));

    assertThat(comparison.rows())
        .extracting(Comparison.Row::scenario, Comparison.Row::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("passes", Verdict.REGRESSION),
            org.assertj.core.groups.Tuple.tuple("fails", Verdict.IMPROVED));
    assertThat(comparison.toMarkdown(List.of("header")))
        .contains("| leg | passes | pass 1/1 | error: not run through the agent | **REGRESSION**")
        .contains("| leg | fails | FAIL 0/1 | pass 1/1 | improved |");
  }

  @Test
  void aCheckFixedInAStillFailingScenarioIsNotedButNotAnImprovement() {
    ScenarioResult direct = result("a", check("one", Status.FAILURE), check("two", Status.FAILURE));
    ScenarioResult agent = result("a", check("one", Status.SUCCESS), check("two", Status.FAILURE));

    assertThat(Comparison.of(List.of(direct), List.of(agent)).rows())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.verdict()).isEqualTo(Verdict.SAME);
              assertThat(row.checksFixed()).containsExactly("one");
            });
  }

  @Test
  void identicalResultsAreTheSame() {
    ScenarioResult r = result("a", check("c", Status.SUCCESS), check("d", Status.FAILURE));
    assertThat(Comparison.of(List.of(r), List.of(r)).rows())
        .singleElement()
        .extracting(Comparison.Row::verdict)
        .isEqualTo(Verdict.SAME);
  }

  private static ScenarioResult result(String scenario, ConformanceResults.Check... checks) {
    return new ScenarioResult("leg", scenario, List.of(checks), null);
  }

  private static ConformanceResults.Check check(String id, Status status) {
    return new ConformanceResults.Check(id, status, status == Status.FAILURE ? "boom" : null);
  }

  private static void writeChecks(Path scenarioDir, String json) throws IOException {
    Files.createDirectories(scenarioDir);
    Files.writeString(scenarioDir.resolve("checks.json"), json);
  }
}
