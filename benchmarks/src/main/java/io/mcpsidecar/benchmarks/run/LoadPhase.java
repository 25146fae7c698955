package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.load.ClosedLoopLoad;
import io.mcpsidecar.benchmarks.load.LoadResult;
import io.mcpsidecar.benchmarks.load.McpConnection;
import io.mcpsidecar.benchmarks.load.MeasureWindow;
import io.mcpsidecar.benchmarks.load.OpenLoopLoad;
import io.mcpsidecar.benchmarks.load.WrkLoad;
import java.io.IOException;
import java.time.Duration;

/** Puts one target under load and turns what the load saw into {@link Results} figures. */
final class LoadPhase {

  /** Connections of the constant-rate client: enough that queueing shows as latency, not loss. */
  static final int RATE_CONNECTIONS = 32;

  static final int SATURATION_CONNECTIONS = 32;

  /** The rate of the first warm-up phase: the proxy busy, its CPU not saturated. */
  static final double GENTLE_WARMUP_RPS = 2000;

  private final Fixture fixture;

  LoadPhase(Fixture fixture) {
    this.fixture = fixture;
  }

  /** Closed-loop traffic that is not measured: lets the JIT compile the hot path. */
  void warmUp(Target target, Duration duration) {
    new ClosedLoopLoad(fixture.vertx, fixture.client, target.endpoint())
        .run(SATURATION_CONNECTIONS, duration, Duration.ofMillis(200), MeasureWindow.NONE);
  }

  /**
   * Warms a JVM target: first a moderate constant rate for {@code gentle} (the JIT compilers share
   * the proxy's single CPU with its event loop, and under saturation they would hardly get to run),
   * then closed-loop windows of two seconds until two in a row agree within 10%, or {@code max} has
   * passed. A fixed saturation warm-up is too short on a busy machine, and a plateau while the
   * compilers are still working looks steady.
   */
  void warmUntilSteady(Target target, Duration gentle, int minWindows, Duration max) {
    long started = System.nanoTime();
    new OpenLoopLoad(fixture.vertx, fixture.client, target.endpoint())
        .run(
            new OpenLoopLoad.Plan(GENTLE_WARMUP_RPS, gentle, Duration.ofMillis(500), 8),
            MeasureWindow.NONE);
    ClosedLoopLoad load = new ClosedLoopLoad(fixture.vertx, fixture.client, target.endpoint());
    double previous = 0;
    int windows = 0;
    while (true) {
      double rps =
          load.run(
                  SATURATION_CONNECTIONS,
                  Duration.ofMillis(200),
                  Duration.ofSeconds(2),
                  MeasureWindow.NONE)
              .throughput();
      windows++;
      Duration spent = Duration.ofNanos(System.nanoTime() - started);
      boolean steady =
          windows >= minWindows && previous > 0 && Math.abs(rps - previous) <= 0.05 * previous;
      if (steady || spent.compareTo(max) >= 0) {
        QuickRun.say(
            String.format(
                "warmed up %s in %d s (%.0f rps%s)",
                target.name(), spent.toSeconds(), rps, steady ? ", steady" : ", not yet steady"));
        return;
      }
      previous = rps;
    }
  }

  /** A constant rate; {@code direct} (null for direct itself) gives the added p99. */
  Results.RateResult rate(
      Target target, double rps, Duration warmup, Duration measure, Results.RateResult direct) {
    ResourceSampler sampler = new ResourceSampler(target.proxy(), fixture.ours());
    LoadResult r =
        new OpenLoopLoad(fixture.vertx, fixture.client, target.endpoint())
            .run(new OpenLoopLoad.Plan(rps, warmup, measure, RATE_CONNECTIONS), sampler);
    ResourceSampler.Window w = sampler.window();
    double p99 = r.percentileMs(99);
    return new Results.RateResult(
        rps,
        round(r.throughput(), 1),
        r.completed(),
        r.errors(),
        round(r.percentileMs(50), 3),
        round(r.percentileMs(90), 3),
        round(p99, 3),
        round(r.percentileMs(99.9), 3),
        round(r.latencyMicros().getMaxValue() / 1000.0, 3),
        direct == null ? null : round(p99 - direct.p99(), 3),
        target.direct() ? null : round(w.proxyCpuSeconds() / r.completed() * 1000, 4),
        target.direct() ? null : round(w.proxyPeakRss() / 1048576.0, 1),
        round(w.foreignCpu(), 3));
  }

  /** One saturation round: wrk when asked and installed, else the closed-loop Java client. */
  SaturationRound saturate(Target target, Duration duration, boolean useWrk)
      throws IOException, InterruptedException {
    ResourceSampler sampler = new ResourceSampler(target.proxy(), fixture.ours());
    LoadResult r;
    String tool;
    if (useWrk) {
      String session =
          McpConnection.open(fixture.client, target.endpoint())
              .compose(c -> c.close().map(c.sessionId()))
              .toCompletionStage()
              .toCompletableFuture()
              .join();
      r =
          new WrkLoad(fixture.options.out(), fixture.cpus)
              .run(target.endpoint(), session, SATURATION_CONNECTIONS, duration, sampler);
      tool = "wrk";
    } else {
      r =
          new ClosedLoopLoad(fixture.vertx, fixture.client, target.endpoint())
              .run(SATURATION_CONNECTIONS, Duration.ofSeconds(1), duration, sampler);
      tool = "java closed loop";
    }
    ResourceSampler.Window w = sampler.window();
    return new SaturationRound(
        tool,
        r.throughput(),
        r.errors(),
        r.firstError(),
        target.direct() ? null : w.proxyCpuSeconds() / w.seconds(),
        target.direct() ? null : w.proxyCpuSeconds() / Math.max(1, r.completed()) * 1000,
        w.foreignCpu());
  }

  /** One saturation measurement. */
  record SaturationRound(
      String tool,
      double rps,
      long errors,
      String firstError,
      Double proxyCpuUtilisation,
      Double proxyCpuPer1000,
      double foreignCpu) {}

  static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
