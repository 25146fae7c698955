package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.BenchOptions;
import io.mcpsidecar.benchmarks.load.IdleStreams;
import io.mcpsidecar.benchmarks.process.JvmLaunch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The memory line of the budget alone, in about two minutes per configuration: an agent is warmed
 * up the way the full run warms it, then held at 1,000 rps for 20 s while its resident memory is
 * sampled; the peak is reported with the CPU per call and the p99. With {@code
 * -Dfootprint.nmt=true} the JVM runs with Native Memory Tracking and its summary after the load is
 * written next to the logs. For trying launch options and runtimes without a full run:
 *
 * <ul>
 *   <li>{@code -Dfootprint.configs=minimal,all-features} which configurations (files in {@code
 *       configs/} without {@code .yaml})
 *   <li>{@code -Dfootprint.java=/path/to/bin/java} another runtime
 *   <li>{@code -Dfootprint.opts="-XX:..."} options added after {@code scripts/agent-java-opts}
 *   <li>{@code -Dfootprint.streams=N} after the load, N idle GET streams are opened and held: the
 *       resident memory per stream is printed and a class histogram of the heap written next to the
 *       logs (where a stream's bytes go)
 * </ul>
 */
public final class FootprintRun {

  private static final Duration WARM_GENTLE = Duration.ofSeconds(10);
  private static final Duration WARM_MAX = Duration.ofSeconds(50);

  private final BenchOptions options;

  public FootprintRun(BenchOptions options) {
    this.options = options;
  }

  public int run() throws Exception {
    String[] configs = System.getProperty("footprint.configs", "minimal,all-features").split(",");
    boolean nmt = Boolean.getBoolean("footprint.nmt");
    try (Fixture fixture = Fixture.start(options)) {
      JvmLaunch jvm = launch(fixture.recommendedJvm, nmt);
      QuickRun.say("footprint at 1,000 rps: " + jvm.java() + " " + String.join(" ", jvm.options()));
      LoadPhase load = new LoadPhase(fixture);
      for (String config : configs) {
        Target agent = fixture.agent("agent-" + config, config + ".yaml", jvm).target();
        load.warmUntilSteady(agent, WARM_GENTLE, 6, WARM_MAX);
        Results.RateResult r =
            load.rate(agent, 1000, Duration.ofSeconds(3), Duration.ofSeconds(20), null);
        long pid = agent.proxy().pid();
        QuickRun.say(
            String.format(
                "agent-%s: peak RSS %.1f MiB, RSS after %.1f MiB, threads %d, CPU %.3f ms/call,"
                    + " p99 %.3f ms, errors %d",
                config,
                r.proxyPeakRssMiB(),
                rssKib(pid) / 1024.0,
                threads(pid),
                r.proxyCpuPer1000(),
                r.p99(),
                r.errors()));
        if (nmt) {
          Path summary = options.out().resolve("logs").resolve("nmt-" + config + ".txt");
          jcmd(pid, summary, "VM.native_memory", "summary");
          QuickRun.say("native memory summary: " + summary);
        }
        int streams = Integer.getInteger("footprint.streams", 0);
        if (streams > 0) {
          idleStreams(fixture, agent, config, streams);
        }
        fixture.stop(agent);
      }
    }
    return 0;
  }

  private void idleStreams(Fixture fixture, Target agent, String config, int count)
      throws IOException, InterruptedException {
    long pid = agent.proxy().pid();
    Path before = options.out().resolve("logs").resolve("histogram-" + config + "-0.txt");
    jcmd(pid, before, "GC.class_histogram");
    double rest = rssKib(pid) / 1024.0;
    IdleStreams held = new IdleStreams(fixture.vertx, fixture.client, agent.endpoint());
    try {
      held.growTo(count);
      Thread.sleep(Duration.ofSeconds(3).toMillis());
      double open = rssKib(pid) / 1024.0;
      Path after =
          options.out().resolve("logs").resolve("histogram-" + config + "-" + count + ".txt");
      jcmd(pid, after, "GC.class_histogram");
      QuickRun.say(
          String.format(
              "agent-%s: %d idle streams: RSS %.1f -> %.1f MiB, %.1f KiB per stream; heap"
                  + " histograms %s and %s",
              config, count, rest, open, (open - rest) * 1024 / count, before, after));
    } finally {
      held.closeAll();
    }
  }

  private static JvmLaunch launch(JvmLaunch recommended, boolean nmt) {
    List<String> more = new ArrayList<>();
    String opts = System.getProperty("footprint.opts", "").trim();
    if (!opts.isEmpty()) {
      more.addAll(List.of(opts.split("\\s+")));
    }
    if (nmt) {
      more.add("-XX:NativeMemoryTracking=summary");
    }
    JvmLaunch jvm = recommended.with(recommended.label(), more);
    String java = System.getProperty("footprint.java");
    return java == null ? jvm : jvm.on(jvm.label() + " on " + java, Path.of(java));
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static int threads(long pid) throws IOException {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return (int) tasks.count();
    }
  }

  private static void jcmd(long pid, Path out, String... command)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    argv.add(Long.toString(pid));
    argv.addAll(List.of(command));
    Process p =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }
}
