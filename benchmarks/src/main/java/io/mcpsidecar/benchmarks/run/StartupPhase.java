package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.process.AgentProcess;
import io.mcpsidecar.benchmarks.process.JvmLaunch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Time from spawning the agent's JVM to the first 200 of {@code /readyz} (the upstream is already
 * up), for each way of launching it: the JVM's defaults, the recommended options, and class data
 * sharing (JDK 17 AppCDS, the JDK 25 AOT cache of JEP 483/514) built by a training run with
 * traffic.
 */
final class StartupPhase {

  static final int RUNS = 5;

  private final Fixture fixture;

  StartupPhase(Fixture fixture) {
    this.fixture = fixture;
  }

  List<Results.StartupResult> run() throws Exception {
    JvmLaunch recommended = fixture.recommendedJvm;
    int feature = Runtime.version().feature();
    List<Results.StartupResult> results = new ArrayList<>();
    results.add(
        measure(new JvmLaunch("JDK " + feature + ", no options", recommended.java(), List.of())));
    results.add(measure(recommended));

    Path jsa = fixture.options.out().resolve("agent-jdk" + feature + ".jsa").toAbsolutePath();
    Files.deleteIfExists(jsa);
    train(recommended.with("training", List.of("-XX:ArchiveClassesAtExit=" + jsa)));
    results.add(
        measure(
            recommended.with(
                recommended.label() + " + AppCDS archive", List.of("-XX:SharedArchiveFile=" + jsa)),
            Files.isRegularFile(jsa) ? null : "no archive was written"));

    Path jdk25 = fixture.options.jdk25().resolve("bin").resolve("java");
    if (Files.isExecutable(jdk25)) {
      JvmLaunch on25 = recommended.on("JDK 25 + scripts/agent-java-opts", jdk25);
      results.add(measure(on25));
      Path aot = fixture.options.out().resolve("agent-jdk25.aot").toAbsolutePath();
      Files.deleteIfExists(aot);
      train(on25.with("training", List.of("-XX:AOTCacheOutput=" + aot)));
      results.add(
          measure(
              on25.with(on25.label() + " + AOT cache", List.of("-XX:AOTCache=" + aot)),
              Files.isRegularFile(aot) ? null : "no AOT cache was written"));
    }
    return results;
  }

  /** Starts the agent, sends traffic, stops it gracefully so the JVM writes its archive. */
  private void train(JvmLaunch jvm) throws IOException, InterruptedException {
    QuickRun.say("training run: " + String.join(" ", jvm.options()));
    Fixture.AgentTarget agent = fixture.agent("agent-training", "all-features.yaml", jvm);
    new LoadPhase(fixture).warmUp(agent.target(), Duration.ofSeconds(5));
    agent.target().proxy().stop(Duration.ofSeconds(120));
    fixture.stop(agent.target());
  }

  private Results.StartupResult measure(JvmLaunch jvm) throws IOException {
    return measure(jvm, null);
  }

  private Results.StartupResult measure(JvmLaunch jvm, String note) throws IOException {
    List<Double> ready = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    double rss = 0;
    for (int i = 0; i < RUNS; i++) {
      Fixture.AgentTarget agent = fixture.agent("agent-startup", "all-features.yaml", jvm);
      AgentProcess.Started started = agent.started();
      ready.add(LoadPhase.round(started.readyMillis(), 1));
      cpu.add(started.cpuAtReadyMillis());
      rss = Math.max(rss, started.process().sample().rssBytes() / 1048576.0);
      fixture.stop(agent.target());
    }
    double median = QuickRun.median(ready);
    QuickRun.say(String.format("start to ready, %s: median %.0f ms", jvm.label(), median));
    return new Results.StartupResult(
        jvm.label(),
        jvm.java().toString(),
        jvm.options(),
        ready,
        median,
        ready.stream().mapToDouble(Double::doubleValue).min().orElse(0),
        QuickRun.median(cpu),
        LoadPhase.round(rss, 1),
        note);
  }
}
