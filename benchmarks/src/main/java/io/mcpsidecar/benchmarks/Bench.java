package io.mcpsidecar.benchmarks;

import io.mcpsidecar.benchmarks.run.FootprintRun;
import io.mcpsidecar.benchmarks.run.FullRun;
import io.mcpsidecar.benchmarks.run.QuickRun;

/**
 * The benchmark command. {@code --mode=quick} is the regression check that {@code ./mvnw verify}
 * runs (about a minute, ratios to nginx against the recorded reference); {@code --mode=full} is the
 * whole benchmark behind docs/benchmarks.md. Exits 0 on success, 1 when the quick check finds a
 * regression, 2 when the benchmark could not run.
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) {
    int exit;
    try {
      BenchOptions options = BenchOptions.parse(args);
      if (options.quick()) {
        exit = new QuickRun(options).run();
      } else if (options.footprint()) {
        exit = new FootprintRun(options).run();
      } else {
        exit = new FullRun(options).run();
      }
    } catch (IllegalStateException | IllegalArgumentException e) {
      System.err.println("benchmark could not run: " + e.getMessage());
      exit = 2;
    } catch (Exception e) {
      System.err.println("benchmark failed: " + e);
      e.printStackTrace(System.err);
      exit = 2;
    }
    System.exit(exit);
  }
}
