package io.mcpsidecar.benchmarks.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The performance budget of a sidecar (issue 17, "Lightweight in fact"), checked against what the
 * run measured: memory and throughput for the agent with everything optional off (agent-minimal)
 * and with every feature on (agent-all), added latency, start-up, idle streams and the SSE relay.
 * Each line says met or missed and by how much; the why and what would close it are written in
 * docs/benchmarks.md.
 */
final class Budget {

  static final String TARGET = "agent-all";
  static final String MINIMAL = "agent-minimal";
  static final double MAX_ADDED_P99_MS = 0.5;
  static final double MIN_SATURATION_RATIO_MINIMAL = 0.8;
  static final double MIN_SATURATION_RATIO_ALL = 0.5;
  static final double MAX_RSS_MIB_MINIMAL = 64;
  static final double MAX_RSS_MIB_ALL = 96;
  static final double MAX_READY_MS = 300;
  static final double MAX_IDLE_10K_MIB = 256;
  static final double MIN_SSE_RATIO = 0.5;

  private Budget() {}

  static List<Results.BudgetLine> evaluate(
      List<Results.TargetResult> targets,
      List<Results.StartupResult> startup,
      List<Results.IdleResult> idle,
      List<Results.SseResult> sse,
      String optionsFile) {
    List<Results.BudgetLine> lines = new ArrayList<>();
    Results.RateResult all1000 = at1000(targets, TARGET);
    Results.RateResult minimal1000 = at1000(targets, MINIMAL);
    lines.add(
        atMost(
            "added p99 at 1,000 rps (all features)",
            MAX_ADDED_P99_MS,
            all1000.addedP99Ms(),
            "ms",
            "%.3f ms over direct (p99 %.3f ms)".formatted(all1000.addedP99Ms(), all1000.p99())));
    Results.Saturation nginx = saturation(targets, "nginx");
    lines.addAll(saturationLine(targets, MINIMAL, "minimal", MIN_SATURATION_RATIO_MINIMAL, nginx));
    lines.addAll(saturationLine(targets, TARGET, "all features", MIN_SATURATION_RATIO_ALL, nginx));
    if (minimal1000 != null) {
      lines.add(
          atMost(
              "peak resident memory at 1,000 rps (minimal)",
              MAX_RSS_MIB_MINIMAL,
              minimal1000.proxyPeakRssMiB(),
              "MiB",
              "%.1f MiB peak".formatted(minimal1000.proxyPeakRssMiB())));
    }
    lines.add(
        atMost(
            "peak resident memory at 1,000 rps (all features)",
            MAX_RSS_MIB_ALL,
            all1000.proxyPeakRssMiB(),
            "MiB",
            "%.1f MiB peak".formatted(all1000.proxyPeakRssMiB())));
    // The image ships JDK 25 with an AOT cache: the run's closest variant is that one.
    Results.StartupResult shipped =
        startup.stream()
            .filter(s -> s.variant().contains("JDK 25") && s.variant().contains("AOT cache"))
            .findFirst()
            .or(() -> startup.stream().filter(s -> s.variant().endsWith(optionsFile)).findFirst())
            .orElse(null);
    Results.StartupResult fastest =
        startup.stream()
            .min(Comparator.comparingDouble(Results.StartupResult::medianMs))
            .orElse(null);
    if (shipped != null) {
      lines.add(
          atMost(
              "ready after start",
              MAX_READY_MS,
              shipped.medianMs(),
              "ms",
              "%.0f ms median, %s (fastest: %.0f ms, %s)"
                  .formatted(
                      shipped.medianMs(),
                      shipped.variant(),
                      fastest.medianMs(),
                      fastest.variant())));
    }
    idle.stream()
        .filter(i -> i.target().equals(TARGET) && i.at10000MiB() != null)
        .findFirst()
        .ifPresent(
            i ->
                lines.add(
                    atMost(
                        "10,000 idle SSE streams",
                        MAX_IDLE_10K_MIB,
                        i.at10000MiB(),
                        "MiB",
                        i.extrapolated()
                            ? "%.1f MiB (measured %.1f MiB at %d streams + %.1f KiB per stream)"
                                .formatted(
                                    i.at10000MiB(),
                                    i.withManyMiB(),
                                    i.manyStreams(),
                                    i.perStreamKiB())
                            : "%.1f MiB resident".formatted(i.at10000MiB()))));
    Results.SseResult agentSse = sse(sse, TARGET);
    Results.SseResult nginxSse = sse(sse, "nginx");
    if (agentSse != null && nginxSse != null && nginxSse.medianEventsPerSecond() > 0) {
      double ratio = agentSse.medianEventsPerSecond() / nginxSse.medianEventsPerSecond();
      lines.add(
          atLeast(
              "SSE relay through one stream (all features)",
              MIN_SSE_RATIO,
              ratio,
              "%.2f x nginx (%.0f events/s; nginx %.0f)"
                  .formatted(
                      ratio, agentSse.medianEventsPerSecond(), nginxSse.medianEventsPerSecond())));
    }
    return lines;
  }

  private static Results.RateResult at1000(List<Results.TargetResult> targets, String name) {
    return targets.stream()
        .filter(t -> t.name().equals(name))
        .flatMap(t -> t.rates().stream())
        .filter(r -> r.offeredRps() == 1000)
        .findFirst()
        .orElse(null);
  }

  private static Results.Saturation saturation(List<Results.TargetResult> targets, String name) {
    return targets.stream()
        .filter(t -> t.name().equals(name))
        .map(Results.TargetResult::saturation)
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static Results.SseResult sse(List<Results.SseResult> sse, String name) {
    return sse.stream().filter(r -> r.target().equals(name)).findFirst().orElse(null);
  }

  private static List<Results.BudgetLine> saturationLine(
      List<Results.TargetResult> targets,
      String name,
      String what,
      double min,
      Results.Saturation nginx) {
    Results.Saturation agent = saturation(targets, name);
    if (agent == null || agent.ratioToNginx() == null) {
      return List.of();
    }
    String perCore =
        nginx == null || nginx.rpsPerProxyCore() == null || agent.rpsPerProxyCore() == null
            ? ""
            : "; per proxy CPU %.2f x nginx"
                .formatted(agent.rpsPerProxyCore() / nginx.rpsPerProxyCore());
    return List.of(
        atLeast(
            "saturation throughput (" + what + ")",
            min,
            agent.ratioToNginx(),
            "%.2f x nginx (%.0f rps%s)".formatted(agent.ratioToNginx(), agent.rps(), perCore)));
  }

  private static Results.BudgetLine atLeast(
      String item, double min, double ratio, String description) {
    boolean met = ratio >= min;
    String margin =
        met
            ? "%.2f x above".formatted(ratio - min)
            : "missed by %.2f x nginx (%.0f%% short)"
                .formatted(min - ratio, 100 * (1 - ratio / min));
    return new Results.BudgetLine(item, ">= " + fmt(min) + " x nginx", description, met, margin);
  }

  private static Results.BudgetLine atMost(
      String item, double limit, double measured, String unit, String description) {
    boolean met = measured <= limit;
    String margin =
        met
            ? "%s %s to spare".formatted(amount(limit - measured), unit)
            : "missed by %s %s (%.1f x the limit)"
                .formatted(amount(measured - limit), unit, measured / limit);
    return new Results.BudgetLine(item, "<= " + fmt(limit) + " " + unit, description, met, margin);
  }

  private static String amount(double v) {
    double a = Math.abs(v);
    return String.format(a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
