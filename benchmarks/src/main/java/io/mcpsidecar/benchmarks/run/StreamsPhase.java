package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.load.IdleStreams;
import io.mcpsidecar.benchmarks.load.SseThroughput;
import io.mcpsidecar.benchmarks.process.FileLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SSE relay throughput, and the memory that idle SSE streams hold. */
final class StreamsPhase {

  static final long EVENTS = 200_000;
  static final int ROUNDS = 3;
  static final int FEW_STREAMS = 1_000;
  static final int MANY_STREAMS = 10_000;

  /** File descriptors a process needs besides its streams (jars, listeners, epoll, logs). */
  static final int FD_RESERVE = 2000;

  private final Fixture fixture;

  StreamsPhase(Fixture fixture) {
    this.fixture = fixture;
  }

  /** Events per second through each target: one warm-up stream, then the median of three. */
  List<Results.SseResult> throughput(List<Target> targets) {
    Map<String, List<SseThroughput.Result>> runs = new LinkedHashMap<>();
    for (Target t : targets) {
      SseThroughput.run(fixture.vertx, fixture.client, t.endpoint(), EVENTS / 2);
      runs.put(t.name(), new ArrayList<>());
    }
    for (int round = 0; round < ROUNDS; round++) {
      for (Target t : targets) {
        SseThroughput.Result r =
            SseThroughput.run(fixture.vertx, fixture.client, t.endpoint(), EVENTS);
        if (r.events() != EVENTS) {
          throw new IllegalStateException(
              t.name() + " relayed " + r.events() + " of " + EVENTS + " events");
        }
        runs.get(t.name()).add(r);
        QuickRun.say(String.format("%-14s SSE: %.0f events/s", t.name(), r.eventsPerSecond()));
      }
    }
    List<Results.SseResult> results = new ArrayList<>();
    runs.forEach(
        (name, list) -> {
          List<Double> eps =
              list.stream().map(r -> LoadPhase.round(r.eventsPerSecond(), 0)).toList();
          double median = QuickRun.median(eps);
          double mb =
              QuickRun.median(list.stream().map(SseThroughput.Result::megabytesPerSecond).toList());
          results.add(new Results.SseResult(name, eps, median, LoadPhase.round(mb, 1)));
        });
    return results;
  }

  /**
   * Resident memory of the proxy with no streams, 1,000 and 10,000 idle streams. A proxy holds two
   * sockets per stream, so where the open-file limit cannot be raised past 20,000 the largest count
   * is what the limit allows, and the 10,000 figure is carried along the measured slope (and marked
   * as such).
   */
  Results.IdleResult idle(Target target) throws InterruptedException {
    IdleStreams streams = new IdleStreams(fixture.vertx, fixture.client, target.endpoint());
    double baseline = rssMiB(target);
    try {
      streams.growTo(FEW_STREAMS);
      Thread.sleep(Duration.ofSeconds(2).toMillis());
      double few = rssMiB(target);
      QuickRun.say(
          String.format("%-14s %d idle streams: %.1f MiB", target.name(), FEW_STREAMS, few));
      long limit = FileLimits.current();
      int many = (int) Math.min(MANY_STREAMS, (limit - FD_RESERVE) / 2);
      if (many <= FEW_STREAMS) {
        return new Results.IdleResult(
            target.name(),
            LoadPhase.round(baseline, 1),
            LoadPhase.round(few, 1),
            null,
            null,
            null,
            null,
            false,
            "open-file limit " + limit + " allows no more streams");
      }
      streams.growTo(many);
      Thread.sleep(Duration.ofSeconds(3).toMillis());
      double manyMiB = rssMiB(target);
      double perStream = (manyMiB - few) / (many - FEW_STREAMS);
      boolean extrapolated = many < MANY_STREAMS;
      double at10000 = manyMiB + perStream * (MANY_STREAMS - many);
      QuickRun.say(String.format("%-14s %d idle streams: %.1f MiB", target.name(), many, manyMiB));
      return new Results.IdleResult(
          target.name(),
          LoadPhase.round(baseline, 1),
          LoadPhase.round(few, 1),
          many,
          LoadPhase.round(manyMiB, 1),
          LoadPhase.round(perStream * 1024, 2),
          LoadPhase.round(at10000, 1),
          extrapolated,
          extrapolated
              ? "open-file limit "
                  + limit
                  + " (two sockets per stream) stops at "
                  + many
                  + " streams; the 10,000 figure adds "
                  + (MANY_STREAMS - many)
                  + " streams at the measured slope"
              : null);
    } finally {
      streams.closeAll();
      Thread.sleep(1000);
    }
  }

  private static double rssMiB(Target target) {
    return target.proxy().sample().rssBytes() / 1048576.0;
  }
}
