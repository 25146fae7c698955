package io.mcpsidecar.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured over its window (warm-up excluded).
 *
 * @param offeredRps the constant rate asked for, or 0 for a closed-loop (saturation) run
 * @param seconds length of the measured window
 * @param completed calls that completed in the window (or, open loop, that were scheduled in it)
 * @param errors calls answered with a status other than 200, failed, or still unanswered at the end
 * @param latencyMicros open loop: from the intended send time to the last byte of the answer
 *     (coordinated-omission free); closed loop: service time
 * @param firstError the first failure seen, or null
 */
public record LoadResult(
    double offeredRps,
    double seconds,
    long completed,
    long errors,
    Histogram latencyMicros,
    String firstError) {

  public double throughput() {
    return completed / seconds;
  }

  public double errorRatio() {
    return completed == 0 ? 1.0 : (double) errors / completed;
  }

  /** The latency at a percentile (0-100), in milliseconds. */
  public double percentileMs(double percentile) {
    return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  static Histogram newHistogram() {
    return new Histogram(60_000_000L, 3); // 1 us to 60 s, 3 significant digits
  }
}
