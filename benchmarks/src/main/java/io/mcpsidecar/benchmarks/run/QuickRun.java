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
      load.warmUntilSteady(agent, Duration.ofSeconds(10), Duration.ofSeconds(40));
      load.warmUp(nginx, Duration.ofSeconds(3));
      load.warmUp(direct, Duration.ofSeconds(2));

      List<Double> saturationRatios = new ArrayList<>();
      List<Double> cpuRatios = new ArrayList<>();
      QuickVerdict verdict = null;
      Results.RateResult directAt1000 = null;
      Results.RateResult agentAt1000 = null;
      int attempt = 0;
      while (attempt < QuickVerdict.ATTEMPTS) {
        attempt++;
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
          directAt1000 =
              load.rate(direct, 1000, Duration.ofSeconds(2), Duration.ofSeconds(5), null);
          agentAt1000 =
              load.rate(agent, 1000, Duration.ofSeconds(2), Duration.ofSeconds(5), directAt1000);
          say(
              String.format(
                  "at 1000 rps: p99 direct %.3f ms, agent-all %.3f ms (added %.3f ms; reported,"
                      + " not judged)",
                  directAt1000.p99(), agentAt1000.p99(), agentAt1000.addedP99Ms()));
        }
        if (reference == null) {
          continue; // recording: measure every attempt, keep the median
        }
        verdict = QuickVerdict.judge(saturation, cpu, errors, reference);
        if (verdict.passed() || errors > QuickVerdict.MAX_ERROR_RATIO) {
          break;
        }
        say("below the threshold (" + verdict.message() + "); measuring again");
      }

      double saturation = median(saturationRatios);
      double cpu = median(cpuRatios);
      if (reference == null) {
        Reference recorded =
            new Reference(
                LoadPhase.round(saturation, 3),
                LoadPhase.round(cpu, 3),
                Instant.now() + " on " + machine.cpuModel() + " x" + machine.cpus());
        recorded.write(options.reference());
        say("recorded reference ratios in " + options.reference() + ": " + recorded);
        verdict = new QuickVerdict(true, "reference recorded");
        reference = recorded;
      }
      Results.QuickCheck check =
          new Results.QuickCheck(
              attempt,
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
      say((verdict.passed() ? "PASSED: " : "REGRESSION: ") + verdict.message());
      say(String.format("quick check took %.0f s", (System.nanoTime() - started) / 1e9));
      return verdict.passed() ? 0 : 1;
    }
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
