package io.mcpsidecar.e2e;

import io.mcpsidecar.e2e.ConformanceResults.Check;
import io.mcpsidecar.e2e.ConformanceResults.ScenarioResult;
import io.mcpsidecar.e2e.ConformanceResults.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the conformance results of the server alone ("direct") with those through the agent.
 *
 * <p>The agent must do at least as well: a scenario that passes directly must pass through the
 * agent, and a check whose verdict is SUCCESS directly must be SUCCESS through the agent (missing
 * counts as worse). A scenario failing directly but passing through the agent is "improved".
 */
final class Comparison {

  enum Verdict {
    SAME,
    IMPROVED,
    REGRESSION
  }

  /** A check that passed directly but not through the agent. */
  record CheckRegression(String checkId, Status agentStatus, String agentError) {
    String describe() {
      return checkId
          + ": SUCCESS directly, "
          + (agentStatus == null ? "absent" : agentStatus)
          + " through the agent"
          + (agentError == null ? "" : " (" + agentError + ")");
    }
  }

  record Row(
      String leg,
      String scenario,
      ScenarioResult direct,
      ScenarioResult agent,
      Verdict verdict,
      List<CheckRegression> checkRegressions,
      List<String> checksFixed) {}

  private final List<Row> rows;

  private Comparison(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  static Comparison of(List<ScenarioResult> direct, List<ScenarioResult> agent) {
    Map<String, ScenarioResult> agentByKey = new LinkedHashMap<>();
    agent.forEach(r -> agentByKey.put(r.key(), r));
    List<Row> rows = new ArrayList<>();
    for (ScenarioResult d : direct) {
      ScenarioResult a = agentByKey.remove(d.key());
      if (a == null) {
        a = new ScenarioResult(d.leg(), d.scenario(), List.of(), "not run through the agent");
      }
      rows.add(compare(d, a));
    }
    for (ScenarioResult a : agentByKey.values()) { // only seen through the agent: cannot regress
      ScenarioResult d = new ScenarioResult(a.leg(), a.scenario(), List.of(), "not run directly");
      rows.add(compare(d, a));
    }
    return new Comparison(rows);
  }

  private static Row compare(ScenarioResult direct, ScenarioResult agent) {
    List<CheckRegression> checkRegressions = new ArrayList<>();
    Map<String, Check> agentChecks = agent.verdictById();
    direct
        .verdictById()
        .forEach(
            (id, d) -> {
              if (d.status() != Status.SUCCESS) {
                return;
              }
              Check a = agentChecks.get(id);
              if (a == null || a.status() != Status.SUCCESS) {
                checkRegressions.add(
                    new CheckRegression(
                        id, a == null ? null : a.status(), a == null ? null : a.errorMessage()));
              }
            });
    Map<String, Check> directChecks = direct.verdictById();
    List<String> checksFixed =
        agentChecks.values().stream()
            .filter(a -> a.status() == Status.SUCCESS)
            .map(Check::id)
            .filter(
                id ->
                    !directChecks.containsKey(id)
                        || directChecks.get(id).status() != Status.SUCCESS)
            .toList();
    Verdict verdict;
    if ((direct.passed() && !agent.passed()) || !checkRegressions.isEmpty()) {
      verdict = Verdict.REGRESSION;
    } else if (!direct.passed() && agent.passed()) {
      verdict = Verdict.IMPROVED;
    } else {
      verdict = Verdict.SAME;
    }
    return new Row(
        direct.leg(),
        direct.scenario(),
        direct,
        agent,
        verdict,
        List.copyOf(checkRegressions),
        checksFixed);
  }

  List<Row> rows() {
    return rows;
  }

  List<Row> withVerdict(Verdict verdict) {
    return rows.stream().filter(r -> r.verdict() == verdict).toList();
  }

  long directRan() {
    return rows.stream().filter(r -> r.direct().ran()).count();
  }

  long directPassed() {
    return rows.stream().filter(r -> r.direct().passed()).count();
  }

  long agentPassed() {
    return rows.stream().filter(r -> r.agent().passed()).count();
  }

  long directChecksPassed() {
    return rows.stream().mapToLong(r -> r.direct().count(Status.SUCCESS)).sum();
  }

  long agentChecksPassed() {
    return rows.stream().mapToLong(r -> r.agent().count(Status.SUCCESS)).sum();
  }

  /** Every regression, one line each, with the agent's failing check messages. */
  String describeRegressions() {
    StringBuilder out = new StringBuilder();
    for (Row row : withVerdict(Verdict.REGRESSION)) {
      out.append("- [")
          .append(row.leg())
          .append("] ")
          .append(row.scenario())
          .append(": direct ")
          .append(cell(row.direct()))
          .append(", agent ")
          .append(cell(row.agent()))
          .append('\n');
      for (CheckRegression c : row.checkRegressions()) {
        out.append("    - ").append(c.describe()).append('\n');
      }
      if (row.checkRegressions().isEmpty()) {
        row.agent().checks().stream()
            .filter(c -> c.status() == Status.FAILURE)
            .forEach(
                c ->
                    out.append("    - ")
                        .append(c.id())
                        .append(": FAILURE through the agent (")
                        .append(c.errorMessage())
                        .append(")\n"));
      }
    }
    return out.toString();
  }

  /** A Markdown report: header lines given by the caller, totals, regressions, then the table. */
  String toMarkdown(List<String> header) {
    StringBuilder md =
        new StringBuilder("# MCP conformance: server alone vs. through the agent\n\n");
    header.forEach(line -> md.append("- ").append(line).append('\n'));
    md.append('\n')
        .append("| | direct | through agent |\n|---|---|---|\n")
        .append("| scenarios passed | ")
        .append(directPassed())
        .append(" / ")
        .append(rows.size())
        .append(" | ")
        .append(agentPassed())
        .append(" / ")
        .append(rows.size())
        .append(" |\n| checks passed | ")
        .append(directChecksPassed())
        .append(" | ")
        .append(agentChecksPassed())
        .append(" |\n\n")
        .append("Regressions: **")
        .append(withVerdict(Verdict.REGRESSION).size())
        .append("**, improved: **")
        .append(withVerdict(Verdict.IMPROVED).size())
        .append("**.\n\n");
    if (!withVerdict(Verdict.REGRESSION).isEmpty()) {
      md.append("## Regressions\n\n").append(describeRegressions()).append('\n');
    }
    md.append("## Scenarios\n\n")
        .append("| leg | scenario | direct | agent | verdict |\n")
        .append("|---|---|---|---|---|\n");
    for (Row row : rows) {
      md.append("| ")
          .append(row.leg())
          .append(" | ")
          .append(row.scenario())
          .append(" | ")
          .append(cell(row.direct()))
          .append(" | ")
          .append(cell(row.agent()))
          .append(" | ")
          .append(
              switch (row.verdict()) {
                case SAME ->
                    "same"
                        + (row.checksFixed().isEmpty()
                            ? ""
                            : " (passes only through the agent: "
                                + String.join(", ", row.checksFixed())
                                + ")");
                case IMPROVED -> "improved";
                case REGRESSION ->
                    "**REGRESSION**"
                        + (row.checkRegressions().isEmpty()
                            ? ""
                            : " ("
                                + String.join(
                                    ", ",
                                    row.checkRegressions().stream()
                                        .map(CheckRegression::checkId)
                                        .toList())
                                + ")");
              })
          .append(" |\n");
    }
    return md.toString();
  }

  private static String cell(ScenarioResult r) {
    if (!r.ran()) {
      return "error: " + r.error();
    }
    return (r.passed() ? "pass " : "FAIL ") + r.tally();
  }
}
