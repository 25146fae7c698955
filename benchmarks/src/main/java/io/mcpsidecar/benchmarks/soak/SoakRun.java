package io.mcpsidecar.benchmarks.soak;

import io.mcpsidecar.benchmarks.process.AgentProcess;
import io.mcpsidecar.benchmarks.process.Cpus;
import io.mcpsidecar.benchmarks.process.FileLimits;
import io.mcpsidecar.benchmarks.process.JvmLaunch;
import io.mcpsidecar.benchmarks.process.UpstreamProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One soak: the static upstream, the agent jar with {@code configs/soak.yaml} and the recommended
 * JVM options (heap set to an injected agent's), the attacks and the normal client for a bounded
 * time, then the verdict. The report goes to stdout and to {@code out/soak.md}.
 */
final class SoakRun {

  record Options(
      Path agentJar,
      Path javaOpts,
      Path configs,
      Path out,
      int seconds,
      String heap,
      int rssCeilingMib) {}

  private static final int NORMAL_CLIENTS = 2;
  private static final int NORMAL_CALLS_PER_SECOND = 50;
  private static final int HELD_PER_KIND = 50;
  private static final double MIN_NORMAL_SUCCESS = 0.99;
  private static final int MAX_METRICS_BYTES = 1 << 20;

  private final Options options;
  private volatile boolean running = true;

  SoakRun(Options options) {
    this.options = options;
  }

  boolean run() throws IOException, InterruptedException {
    Files.createDirectories(options.out());
    Cpus cpus = Cpus.detect(true);
    FileLimits.raise(65_536);
    cpus.pinSelf();
    UpstreamProcess.Started upstream = UpstreamProcess.start(options.out().resolve("logs"), cpus);
    List<String> jvmOptions = new ArrayList<>();
    for (String option : JvmLaunch.readOptions(options.javaOpts())) {
      if (!option.startsWith("-Xmx")) {
        jvmOptions.add(option);
      }
    }
    jvmOptions.add("-Xmx" + options.heap());
    JvmLaunch jvm = new JvmLaunch("soak", JvmLaunch.currentJava(), jvmOptions);
    AgentProcess.Started agent =
        new AgentProcess(options.agentJar(), options.out(), cpus)
            .start("agent-soak", options.configs().resolve("soak.yaml"), jvm, upstream.url());
    try {
      return soak(agent);
    } finally {
      agent.process().close();
      upstream.process().close();
    }
  }

  private boolean soak(AgentProcess.Started agent) throws IOException, InterruptedException {
    Attacks attacks = new Attacks(agent.port(), () -> running);
    HeldConnections held = new HeldConnections(agent.port(), () -> running, HELD_PER_KIND, 60_000);
    Tally normal = new Tally("normal client: tools/call");
    Recorder latency = new Recorder(3);
    List<Thread> threads = new ArrayList<>();
    for (Runnable loop : attacks.loops()) {
      threads.add(start("attack", loop));
    }
    threads.add(start("held", held));
    for (int i = 0; i < NORMAL_CLIENTS; i++) {
      NormalClient client =
          new NormalClient(agent.port(), () -> running, NORMAL_CALLS_PER_SECOND, normal, latency);
      threads.add(start("normal-" + i, client));
    }
    long peakRss = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.seconds());
    long nextReport = System.nanoTime();
    while (System.nanoTime() < end && agent.process().alive()) {
      peakRss = Math.max(peakRss, agent.process().sample().rssBytes());
      if (System.nanoTime() >= nextReport) {
        say(String.format("  rss %d MiB, normal %s", peakRss >> 20, normal.describe()));
        nextReport += TimeUnit.SECONDS.toNanos(30);
      }
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
    }
    running = false;
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(20).toMillis());
    }
    boolean alive = agent.process().alive();
    AgentGauges.Scrape settled = alive ? settle(agent.adminPort()) : null;
    List<Tally> all = new ArrayList<>(attacks.tallies);
    all.addAll(held.tallies());
    all.add(normal);
    return verdict(agent, alive, peakRss, settled, all, normal, latency.getIntervalHistogram());
  }

  /** Scrapes until every in-flight gauge reads zero, for up to 30 s; returns the last scrape. */
  private static AgentGauges.Scrape settle(int adminPort) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    AgentGauges.Scrape scrape = AgentGauges.scrape(adminPort);
    while (!scrape.allZero() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
      scrape = AgentGauges.scrape(adminPort);
    }
    return scrape;
  }

  private boolean verdict(
      AgentProcess.Started agent,
      boolean alive,
      long peakRss,
      AgentGauges.Scrape settled,
      List<Tally> tallies,
      Tally normal,
      Histogram latency)
      throws IOException {
    List<String> checks = new ArrayList<>();
    boolean passed = check(checks, alive, "the agent stayed up");
    passed &=
        check(
            checks,
            peakRss <= (long) options.rssCeilingMib() << 20,
            String.format("peak RSS %d MiB ≤ %d MiB", peakRss >> 20, options.rssCeilingMib()));
    double success = normal.total() == 0 ? 0 : (double) normal.get("ok") / normal.total();
    passed &=
        check(
            checks,
            success >= MIN_NORMAL_SUCCESS,
            String.format(
                "normal calls succeeded: %d of %d (%.2f %%, p99 %.1f ms)",
                normal.get("ok"),
                normal.total(),
                success * 100,
                latency.getValueAtPercentile(99) / 1000.0));
    if (settled != null) {
      passed &=
          check(checks, settled.allZero(), "in-flight gauges back to 0: " + settled.inFlight());
      passed &=
          check(
              checks,
              settled.bytes() <= MAX_METRICS_BYTES,
              String.format("/metrics %d bytes, %d series", settled.bytes(), settled.series()));
    }
    for (Tally tally : tallies) {
      if (tally.get("invalid JSON") > 0) {
        passed &= check(checks, false, tally.name() + ": invalid JSON answers");
      }
    }
    report(agent, checks, tallies, passed);
    return passed;
  }

  private void report(
      AgentProcess.Started agent, List<String> checks, List<Tally> tallies, boolean passed)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            "Soak: %d s, heap %s, agent %s%n%n", options.seconds(), options.heap(), agent.port()));
    md.append("| traffic | outcomes |\n|---|---|\n");
    for (Tally tally : tallies) {
      md.append("| ").append(tally.name()).append(" | ").append(tally.describe()).append(" |\n");
    }
    md.append('\n');
    for (String check : checks) {
      md.append("- ").append(check).append('\n');
    }
    md.append('\n').append(passed ? "PASSED" : "FAILED").append('\n');
    Files.writeString(options.out().resolve("soak.md"), md);
    say(md.toString());
    if (!agent.process().alive() || !passed) {
      say("agent log tail:\n" + agent.process().logTail(40));
    }
  }

  private static Thread start(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static boolean check(List<String> checks, boolean ok, String what) {
    checks.add((ok ? "ok: " : "FAILED: ") + what);
    return ok;
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
