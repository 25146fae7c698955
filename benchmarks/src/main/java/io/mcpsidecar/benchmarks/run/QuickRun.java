package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.BenchOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The regression check that {@code ./mvnw verify} runs in about a minute: nginx and the agent with
 * every feature on, saturated in turn by the same closed-loop client, compared as ratios with the
 * recorded reference. Added p99 at 1,000 rps is reported, never judged (one short run of a tail
 * percentile on a shared machine is noise).
 */
public final class QuickRun {

  private static final Duration MEASURE = Duration.ofSeconds(5);

  private final BenchOptions options;
  private final List<Double> saturationRatios = new ArrayList<>();
  private final List<Double> cpuRatios = new ArrayList<>();
  private Results.RateResult directAt1000;
  private Results.RateResult agentAt1000;

  public QuickRun(BenchOptions options) {
    this.options = options;
  }

  /** Returns the exit code: 0 passed, 1 regression. */
  public int run() throws Exception {
    long started = System.nanoTime();
    Reference reference = options.recordReference() ? null : Reference.read(options.reference());
    try (Fixture fixture = Fixture.start(options)) {
      Results.Machine machine = Machines.describe(fixture.cpus, fixture.recommendedJvm.label());
      say("quick benchmark check (" + machine.placement() + ")");
      Target direct = fixture.direct();
      Target nginx = fixture.nginx();
      Target agent =
          fixture.agent("agent-all", "all-features.yaml", fixture.recommendedJvm).target();
      LoadPhase load = new LoadPhase(fixture);
      load.warmUntilSteady(agent, Duration.ofSeconds(10), 6, Duration.ofSeconds(50));
      load.warmUp(nginx, Duration.ofSeconds(3));
      load.warmUp(direct, Duration.ofSeconds(2));

      QuickVerdict verdict = attempts(load, direct, nginx, agent, reference);
      if (reference == null) {
        reference = record(machine);
        verdict = new QuickVerdict(true, "reference recorded");
      }
      report(started, machine, direct, agent, reference, verdict);
      say((verdict.passed() ? "PASSED: " : "REGRESSION: ") + verdict.message());
      say(String.format("quick check took %.0f s", (System.nanoTime() - started) / 1e9));
      return verdict.passed() ? 0 : 1;
    }
  }

  /**
   * Measures up to {@link QuickVerdict#ATTEMPTS} times and stops at the first pass; when recording
   * ({@code reference} null) it measures every attempt and returns null.
   */
  private QuickVerdict attempts(
      LoadPhase load, Target direct, Target nginx, Target agent, Reference reference)
      throws Exception {
    QuickVerdict verdict = null;
    for (int attempt = 1; attempt <= QuickVerdict.ATTEMPTS; attempt++) {
      LoadPhase.SaturationRound n = load.saturate(nginx, MEASURE, false);
      LoadPhase.SaturationRound a = load.saturate(agent, MEASURE, false);
      double saturation = a.rps() / n.rps();
      double cpu = a.proxyCpuPer1000() / n.proxyCpuPer1000();
      double errors = a.errors() / Math.max(1.0, a.rps() * MEASURE.toSeconds());
      saturationRatios.add(saturation);
      cpuRatios.add(cpu);
      say(
          String.format(
              "attempt %d: nginx %.0f rps (%.3f ms CPU/call), agent-all %.0f rps (%.3f ms"
                  + " CPU/call): throughput ratio %.3f, CPU cost ratio %.2f, other load on the"
                  + " machine %.0f%%",
              attempt,
              n.rps(),
              n.proxyCpuPer1000(),
              a.rps(),
              a.proxyCpuPer1000(),
              saturation,
              cpu,
              100 * Math.max(n.foreignCpu(), a.foreignCpu())));
      if (a.firstError() != null) {
        say("agent-all first error: " + a.firstError());
      }
      if (attempt == 1) {
        latencyAt1000(load, direct, agent);
      }
      if (reference != null) {
        verdict = QuickVerdict.judge(saturation, cpu, errors, reference);
        if (verdict.passed() || errors > QuickVerdict.MAX_ERROR_RATIO) {
          return verdict;
        }
        say("below the threshold (" + verdict.message() + "); measuring again");
      }
    }
    return verdict;
  }

  private void latencyAt1000(LoadPhase load, Target direct, Target agent) {
    directAt1000 = load.rate(direct, 1000, Duration.ofSeconds(2), Duration.ofSeconds(5), null);
    agentAt1000 =
        load.rate(agent, 1000, Duration.ofSeconds(2), Duration.ofSeconds(5), directAt1000);
    say(
        String.format(
            "at 1000 rps: p99 direct %.3f ms, agent-all %.3f ms (added %.3f ms; reported, not"
                + " judged)",
            directAt1000.p99(), agentAt1000.p99(), agentAt1000.addedP99Ms()));
  }

  /** Writes the medians of the attempts as the new reference. */
  private Reference record(Results.Machine machine) throws java.io.IOException {
    Reference recorded =
        new Reference(
            LoadPhase.round(median(saturationRatios), 3),
            LoadPhase.round(median(cpuRatios), 3),
            Instant.now() + " on " + machine.cpuModel() + " x" + machine.cpus());
    recorded.write(options.reference());
    say("recorded reference ratios in " + options.reference() + ": " + recorded);
    return recorded;
  }

  private void report(
      long started,
      Results.Machine machine,
      Target direct,
      Target agent,
      Reference reference,
      QuickVerdict verdict)
      throws java.io.IOException {
    Results.QuickCheck check =
        new Results.QuickCheck(
            saturationRatios.size(),
            LoadPhase.round(saturationRatios.get(saturationRatios.size() - 1), 3),
            reference.saturationRatio(),
            LoadPhase.round(cpuRatios.get(cpuRatios.size() - 1), 3),
            reference.cpuCostRatio(),
            agentAt1000 == null ? null : agentAt1000.addedP99Ms(),
            verdict.passed(),
            verdict.message());
    Results.Report report =
        new Results.Report(
            "quick",
            Instant.now().toString(),
            LoadPhase.round((System.nanoTime() - started) / 6e10, 2),
            Machines.finish(machine),
            List.of(
                new Results.TargetResult(
                    direct.name(), direct.description(), List.of(directAt1000), null),
                new Results.TargetResult(
                    agent.name(), agent.description(), List.of(agentAt1000), null)),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            check);
    ReportWriter.write(report, options.out(), "quick");
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static void say(String line) {
    System.out.println("[bench] " + line);
  }
}
