package io.mcpsidecar.benchmarks.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each line of the budget is judged against its own limit and target. */
class BudgetTest {

  private static Results.RateResult at1000(Double addedP99, Double rss) {
    return new Results.RateResult(
        1000, 1000, 20_000, 0, 0.3, 0.4, 0.9, 1.2, 3, addedP99, 0.1, rss, 0);
  }

  private static Results.Saturation saturation(double rps, Double ratio) {
    return new Results.Saturation("wrk", 32, List.of(rps), rps, 0, 0.99, rps, 0.05, ratio, 0);
  }

  private static Results.StartupResult start(String variant, double median) {
    return new Results.StartupResult(
        variant, "java", List.of(), List.of(median), median, median, median, 100, null);
  }

  private static Map<String, Results.BudgetLine> lines() {
    List<Results.TargetResult> targets =
        List.of(
            new Results.TargetResult("nginx", "", List.of(), saturation(40_000, 1.0)),
            new Results.TargetResult(
                "agent-minimal", "", List.of(at1000(0.4, 60.0)), saturation(34_000, 0.85)),
            new Results.TargetResult(
                "agent-all", "", List.of(at1000(0.7, 120.0)), saturation(12_000, 0.3)));
    List<Results.StartupResult> startup =
        List.of(
            start("JDK 17 + scripts/agent-java-opts", 2_900),
            start("JDK 25 + scripts/agent-java-opts + AOT cache", 250));
    List<Results.IdleResult> idle =
        List.of(
            new Results.IdleResult(
                "agent-all", 150, 170, 9_000, 400.0, 25.0, 424.4, true, "limit"));
    List<Results.SseResult> sse =
        List.of(
            new Results.SseResult("nginx", List.of(), 800_000, 150),
            new Results.SseResult("agent-all", List.of(), 480_000, 90));
    return Budget.evaluate(targets, startup, idle, sse, "agent-java-opts").stream()
        .collect(Collectors.toMap(Results.BudgetLine::item, l -> l));
  }

  @Test
  void judgesMinimalAndAllFeaturesAgainstTheirOwnLimits() {
    Map<String, Results.BudgetLine> lines = lines();
    assertThat(lines.get("peak resident memory at 1,000 rps (minimal)").met()).isTrue();
    assertThat(lines.get("peak resident memory at 1,000 rps (all features)").met()).isFalse();
    assertThat(lines.get("peak resident memory at 1,000 rps (all features)").margin())
        .isEqualTo("missed by 24.0 MiB (1.3 x the limit)");
    assertThat(lines.get("saturation throughput (minimal)").met()).isTrue();
    assertThat(lines.get("saturation throughput (all features)").met()).isFalse();
    assertThat(lines.get("saturation throughput (all features)").margin())
        .isEqualTo("missed by 0.20 x nginx (40% short)");
    assertThat(lines.get("added p99 at 1,000 rps (all features)").met()).isFalse();
  }

  @Test
  void takesStartUpFromTheVariantTheImageShipsAndJudgesTheSseRelayAgainstNginx() {
    Map<String, Results.BudgetLine> lines = lines();
    assertThat(lines.get("ready after start").met()).isTrue();
    assertThat(lines.get("ready after start").measured()).startsWith("250 ms median, JDK 25");
    assertThat(lines.get("SSE relay through one stream (all features)").met()).isTrue();
    assertThat(lines.get("SSE relay through one stream (all features)").measured())
        .startsWith("0.60 x nginx");
    assertThat(lines.get("10,000 idle SSE streams").met()).isFalse();
  }
}
