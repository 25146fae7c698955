package io.mcpsidecar.benchmarks.run;

/**
 * The quick check's rule. It fails only on a regression far beyond the noise of a shared machine:
 * the agent's throughput relative to nginx under half of the recorded ratio, or its CPU cost per
 * call relative to nginx over twice the recorded ratio. A single noisy figure never fails it,
 * because the check measures again (up to {@link #ATTEMPTS} times) before it gives that verdict.
 */
public record QuickVerdict(boolean passed, String message) {

  public static final int ATTEMPTS = 3;

  /** The agent may fall to this fraction of its recorded throughput ratio to nginx. */
  public static final double MIN_SATURATION_FRACTION = 0.5;

  /** Its CPU cost ratio to nginx may grow to this multiple of the recorded one. */
  public static final double MAX_CPU_COST_MULTIPLE = 2.0;

  /** The share of calls that may fail before the check calls the agent broken, not slow. */
  public static final double MAX_ERROR_RATIO = 0.01;

  public static QuickVerdict judge(
      double saturationRatio, double cpuCostRatio, double errorRatio, Reference reference) {
    if (errorRatio > MAX_ERROR_RATIO) {
      return new QuickVerdict(
          false,
          String.format(
              "%.1f%% of the agent's calls failed (at most %.0f%% allowed): it is broken, not slow",
              errorRatio * 100, MAX_ERROR_RATIO * 100));
    }
    double minSaturation = reference.saturationRatio() * MIN_SATURATION_FRACTION;
    double maxCpu = reference.cpuCostRatio() * MAX_CPU_COST_MULTIPLE;
    StringBuilder problems = new StringBuilder();
    if (saturationRatio < minSaturation) {
      problems.append(
          String.format(
              "throughput ratio to nginx %.3f is under %.3f (half of the recorded %.3f)",
              saturationRatio, minSaturation, reference.saturationRatio()));
    }
    if (cpuCostRatio > maxCpu) {
      if (problems.length() > 0) {
        problems.append("; ");
      }
      problems.append(
          String.format(
              "CPU cost per call %.2f x nginx is over %.2f x (twice the recorded %.2f x)",
              cpuCostRatio, maxCpu, reference.cpuCostRatio()));
    }
    if (problems.length() > 0) {
      return new QuickVerdict(false, problems.toString());
    }
    return new QuickVerdict(
        true,
        String.format(
            "throughput ratio to nginx %.3f (recorded %.3f, fails under %.3f); CPU per call %.2f x"
                + " nginx (recorded %.2f x, fails over %.2f x)",
            saturationRatio,
            reference.saturationRatio(),
            minSaturation,
            cpuCostRatio,
            reference.cpuCostRatio(),
            maxCpu));
  }
}
