package io.mcpsidecar.benchmarks.run;

import java.util.List;

/** Everything a run measured, as written to results.json. Latencies in ms, memory in MiB. */
public final class Results {

  private Results() {}

  /** The whole report. */
  public record Report(
      String mode,
      String startedAt,
      double minutes,
      Machine machine,
      List<TargetResult> targets,
      List<StartupResult> startup,
      List<SseResult> sse,
      List<IdleResult> idleStreams,
      List<JmhResult> jmh,
      List<BudgetLine> budget,
      QuickCheck quick) {}

  /** The machine and the tools, and how busy the machine was with other work. */
  public record Machine(
      String cpuModel,
      int cpus,
      long memoryMiB,
      String kernel,
      String java,
      String nginx,
      String wrk,
      String placement,
      String agentJvm,
      String loadAverageAtStart,
      String loadAverageAtEnd) {}

  /** One target (direct, nginx, agent-minimal, agent-all, ...) under load. */
  public record TargetResult(
      String name, String description, List<RateResult> rates, Saturation saturation) {}

  /**
   * A constant-rate run.
   *
   * @param addedP99Ms this target's p99 minus direct's p99 at the same rate (null for direct)
   * @param proxyCpuPer1000 CPU seconds the proxy used per 1,000 calls (null for direct)
   * @param foreignCpu share of the machine's CPU used by other processes during the window
   */
  public record RateResult(
      double offeredRps,
      double achievedRps,
      long calls,
      long errors,
      double p50,
      double p90,
      double p99,
      double p999,
      double max,
      Double addedP99Ms,
      Double proxyCpuPer1000,
      Double proxyPeakRssMiB,
      double foreignCpu) {}

  /**
   * Saturation: the best of the rounds.
   *
   * @param proxyCpuUtilisation the share of its CPU the proxy used (below 1: something else, such
   *     as the load generator, set the pace)
   * @param rpsPerProxyCore throughput divided by that share: what one CPU of this proxy serves
   * @param proxyCpuPer1000 CPU seconds the proxy used per 1,000 calls
   */
  public record Saturation(
      String tool,
      int connections,
      List<Double> roundsRps,
      double rps,
      long errors,
      Double proxyCpuUtilisation,
      Double rpsPerProxyCore,
      Double proxyCpuPer1000,
      Double ratioToNginx,
      double foreignCpu) {}

  /** Start to ready for one launch variant. */
  public record StartupResult(
      String variant,
      String java,
      List<String> options,
      List<Double> readyMs,
      double medianMs,
      double minMs,
      double medianCpuMs,
      double rssAtReadyMiB,
      String note) {}

  public record SseResult(
      String target,
      List<Double> eventsPerSecond,
      double medianEventsPerSecond,
      double mbPerSecond) {}

  /**
   * Idle streams: resident memory with none, 1,000 and {@code manyStreams} (10,000 unless the
   * open-file limit allows fewer), the slope per stream, and the figure at 10,000 streams, measured
   * or (when {@code extrapolated}) carried from the largest measured count along that slope.
   */
  public record IdleResult(
      String target,
      double baselineMiB,
      double with1000MiB,
      Integer manyStreams,
      Double withManyMiB,
      Double perStreamKiB,
      Double at10000MiB,
      boolean extrapolated,
      String note) {}

  public record JmhResult(String benchmark, double score, double error, String unit) {}

  /** One line of the performance budget: met or missed, and by how much. */
  public record BudgetLine(
      String item, String limit, String measured, boolean met, String margin) {}

  /** The quick check's ratios, the reference they were held against, and the verdict. */
  public record QuickCheck(
      int attempts,
      double saturationRatio,
      double referenceSaturationRatio,
      double cpuCostRatio,
      double referenceCpuCostRatio,
      Double addedP99MsAt1000,
      boolean passed,
      String verdict) {}
}
