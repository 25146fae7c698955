package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.BenchOptions;
import io.mcpsidecar.benchmarks.load.WrkLoad;
import io.mcpsidecar.benchmarks.process.JvmLaunch;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole benchmark behind docs/benchmarks.md, all targets in the same run: constant rates with
 * coordinated-omission-free latencies, saturation, CPU and memory, start-up, SSE relay throughput,
 * idle streams, the JMH micro-benchmarks, and the budget verdict.
 *
 * <p>Rates are run target by target within each rate (not target after target) so that a burst of
 * other work on a shared machine spreads over the targets instead of landing on one.
 */
public final class FullRun {

  static final double[] RATES = {500, 1000, 2000};
  private static final Duration RATE_WARMUP = Duration.ofSeconds(3);
  private static final Duration RATE_MEASURE = Duration.ofSeconds(20);
  private static final Duration SATURATION = Duration.ofSeconds(10);
  private static final int SATURATION_ROUNDS = 2;

  private final BenchOptions options;
  private final Map<String, Target> targets = new LinkedHashMap<>();
  private final Map<String, List<Results.RateResult>> rates = new LinkedHashMap<>();
  private final Map<String, Results.Saturation> saturation = new LinkedHashMap<>();

  public FullRun(BenchOptions options) {
    this.options = options;
  }

  public int run() throws Exception {
    long started = System.nanoTime();
    String startedAt = Instant.now().toString();
    Results.Machine machine;
    List<Results.SseResult> sse;
    List<Results.IdleResult> idle;
    List<Results.StartupResult> startup;
    try (Fixture fixture = Fixture.start(options)) {
      machine = Machines.describe(fixture.cpus, fixture.recommendedJvm.label());
      QuickRun.say("full benchmark (" + machine.placement() + ")");
      startTargets(fixture);
      LoadPhase load = new LoadPhase(fixture);
      warmUp(load);
      constantRates(load);
      saturate(load);
      StreamsPhase streams = new StreamsPhase(fixture);
      sse = streams.throughput(new ArrayList<>(targets.values()));
      idle = idleStreams(streams);
      targets.values().forEach(fixture::stop);
      startup = new StartupPhase(fixture).run();
      withJvmDefaults(fixture, load);
    }
    List<Results.JmhResult> jmh = JmhPhase.run(options.out());

    List<Results.TargetResult> targetResults = new ArrayList<>();
    for (Target t : targets.values()) {
      targetResults.add(
          new Results.TargetResult(
              t.name(), t.description(), rates.get(t.name()), saturation.get(t.name())));
    }
    List<Results.BudgetLine> budget =
        Budget.evaluate(
            targetResults, startup, idle, sse, options.javaOpts().getFileName().toString());
    Results.Report report =
        new Results.Report(
            "full",
            startedAt,
            LoadPhase.round((System.nanoTime() - started) / 6e10, 1),
            Machines.finish(machine),
            targetResults,
            startup,
            sse,
            idle,
            jmh,
            budget,
            null);
    ReportWriter.write(report, options.out(), "results");
    QuickRun.say("wrote " + options.out().resolve("results.md") + " and results.json");
    return 0;
  }

  private void startTargets(Fixture fixture) throws IOException {
    targets.put("direct", fixture.direct());
    targets.put("nginx", fixture.nginx());
    targets.put(
        "agent-minimal",
        fixture.agent("agent-minimal", "minimal.yaml", fixture.recommendedJvm).target());
    targets.put(
        "agent-all",
        fixture.agent("agent-all", "all-features.yaml", fixture.recommendedJvm).target());
  }

  private void warmUp(LoadPhase load) {
    for (Target t : targets.values()) {
      if (t.direct() || t.name().equals("nginx")) {
        load.warmUp(t, Duration.ofSeconds(5));
      } else {
        warmJvm(load, t);
      }
      rates.put(t.name(), new ArrayList<>());
    }
  }

  private static void warmJvm(LoadPhase load, Target target) {
    load.warmUntilSteady(target, Duration.ofSeconds(15), 8, Duration.ofSeconds(75));
  }

  private void constantRates(LoadPhase load) {
    for (double rps : RATES) {
      Results.RateResult direct = null;
      for (Target t : targets.values()) {
        Results.RateResult r = load.rate(t, rps, RATE_WARMUP, RATE_MEASURE, direct);
        if (t.direct()) {
          direct = r;
        }
        rates.get(t.name()).add(r);
        QuickRun.say(
            String.format(
                "%-14s %5.0f rps: p50 %.3f p99 %.3f p99.9 %.3f ms, errors %d",
                t.name(), rps, r.p50(), r.p99(), r.p999(), r.errors()));
      }
    }
  }

  /** Rounds taken in turns; the better round of each target counts. */
  private void saturate(LoadPhase load) throws IOException, InterruptedException {
    boolean wrk = WrkLoad.available();
    Map<String, List<LoadPhase.SaturationRound>> rounds = new LinkedHashMap<>();
    for (int round = 0; round < SATURATION_ROUNDS; round++) {
      for (Target t : targets.values()) {
        LoadPhase.SaturationRound r = load.saturate(t, SATURATION, wrk);
        rounds.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(r);
        QuickRun.say(String.format("%-14s saturation: %.0f rps (%s)", t.name(), r.rps(), r.tool()));
      }
    }
    double nginxBest = best(rounds.get("nginx")).rps();
    rounds.forEach((name, list) -> saturation.put(name, summary(name, list, nginxBest)));
  }

  private static Results.Saturation summary(
      String name, List<LoadPhase.SaturationRound> list, double nginxBest) {
    LoadPhase.SaturationRound b = best(list);
    Double busy = b.proxyCpuUtilisation();
    return new Results.Saturation(
        b.tool(),
        LoadPhase.SATURATION_CONNECTIONS,
        list.stream().map(r -> LoadPhase.round(r.rps(), 0)).toList(),
        LoadPhase.round(b.rps(), 0),
        b.errors(),
        busy == null ? null : LoadPhase.round(busy, 2),
        busy == null ? null : LoadPhase.round(b.rps() / busy, 0),
        b.proxyCpuPer1000() == null ? null : LoadPhase.round(b.proxyCpuPer1000(), 4),
        name.equals("direct") ? null : LoadPhase.round(b.rps() / nginxBest, 3),
        LoadPhase.round(b.foreignCpu(), 3));
  }

  private List<Results.IdleResult> idleStreams(StreamsPhase streams) throws InterruptedException {
    List<Results.IdleResult> idle = new ArrayList<>();
    for (String name : List.of("agent-all", "nginx")) {
      try {
        idle.add(streams.idle(targets.get(name)));
      } catch (RuntimeException e) {
        QuickRun.say(name + ": idle streams failed: " + e);
        idle.add(
            new Results.IdleResult(
                name, 0, 0, null, null, null, null, false, "failed: " + e.getMessage()));
      }
    }
    return idle;
  }

  /** The same agent with the JVM's defaults at 1,000 rps: what the launch options buy. */
  private void withJvmDefaults(Fixture fixture, LoadPhase load) throws IOException {
    Fixture.AgentTarget defaults =
        fixture.agent(
            "agent-all-jvm-defaults",
            "all-features.yaml",
            new JvmLaunch(
                "JDK " + Runtime.version().feature() + ", no options",
                JvmLaunch.currentJava(),
                List.of()));
    warmJvm(load, defaults.target());
    Results.RateResult directAt1000 = rates.get("direct").get(1);
    Results.RateResult d =
        load.rate(defaults.target(), 1000, RATE_WARMUP, RATE_MEASURE, directAt1000);
    targets.put(defaults.target().name(), defaults.target());
    rates.put(defaults.target().name(), List.of(d));
    fixture.stop(defaults.target());
  }

  private static LoadPhase.SaturationRound best(List<LoadPhase.SaturationRound> rounds) {
    return rounds.stream()
        .max((a, b) -> Double.compare(a.rps(), b.rps()))
        .orElseThrow(() -> new IllegalStateException("no saturation round"));
  }
}
