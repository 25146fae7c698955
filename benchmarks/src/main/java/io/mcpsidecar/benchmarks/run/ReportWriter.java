package io.mcpsidecar.benchmarks.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a report as {@code NAME.json} and {@code NAME.md} (the table for docs/benchmarks.md). */
final class ReportWriter {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  private ReportWriter() {}

  static void write(Results.Report report, Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".json"), JSON.writeValueAsString(report) + "\n");
    Files.writeString(dir.resolve(name + ".md"), markdown(report));
  }

  static String markdown(Results.Report r) {
    StringBuilder md = new StringBuilder();
    Results.Machine m = r.machine();
    md.append("Run of ")
        .append(r.startedAt())
        .append(" (")
        .append(r.mode())
        .append(" mode, ")
        .append(r.minutes())
        .append(" min). Machine: ")
        .append(m.cpuModel())
        .append(" x ")
        .append(m.cpus())
        .append(", ")
        .append(m.memoryMiB() / 1024)
        .append(" GiB, ")
        .append(m.kernel())
        .append("; ")
        .append(m.java())
        .append("; nginx ")
        .append(m.nginx())
        .append("; ")
        .append(m.wrk())
        .append(". CPU placement: ")
        .append(m.placement())
        .append(". Agent JVM: ")
        .append(m.agentJvm())
        .append(". Load average at start ")
        .append(m.loadAverageAtStart())
        .append(", at end ")
        .append(m.loadAverageAtEnd())
        .append(".\n\n");
    latency(md, r.targets());
    saturationAndCost(md, r);
    startup(md, r.startup());
    sse(md, r.sse());
    idle(md, r.idleStreams());
    jmh(md, r.jmh());
    budget(md, r.budget());
    if (r.quick() != null) {
      Results.QuickCheck q = r.quick();
      md.append("#### Quick check\n\n")
          .append(q.passed() ? "Passed" : "**Regression**")
          .append(" after ")
          .append(q.attempts())
          .append(" attempt(s): ")
          .append(q.verdict())
          .append(".\n");
    }
    return md.toString();
  }

  private static void latency(StringBuilder md, List<Results.TargetResult> targets) {
    md.append("#### Latency at constant rates\n\n")
        .append(
            "Open loop (latency from the intended send time), 1 KiB `tools/call`, 32 keep-alive"
                + " connections each with its own MCP session; ms.\n\n")
        .append(
            "| Target | Rate | Achieved | p50 | p90 | p99 | p99.9 | max | Added p99 | Errors |"
                + " Proxy CPU s / 1000 calls | Proxy peak RSS MiB | Other load |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Results.TargetResult t : targets) {
      for (Results.RateResult x : t.rates()) {
        if (x == null) {
          continue;
        }
        md.append("| ")
            .append(t.name())
            .append(" | ")
            .append((long) x.offeredRps())
            .append(" | ")
            .append(num(x.achievedRps(), 0))
            .append(" | ")
            .append(num(x.p50(), 3))
            .append(" | ")
            .append(num(x.p90(), 3))
            .append(" | ")
            .append(num(x.p99(), 3))
            .append(" | ")
            .append(num(x.p999(), 3))
            .append(" | ")
            .append(num(x.max(), 2))
            .append(" | ")
            .append(x.addedP99Ms() == null ? "–" : num(x.addedP99Ms(), 3))
            .append(" | ")
            .append(x.errors())
            .append(" | ")
            .append(x.proxyCpuPer1000() == null ? "–" : num(x.proxyCpuPer1000(), 3))
            .append(" | ")
            .append(x.proxyPeakRssMiB() == null ? "–" : num(x.proxyPeakRssMiB(), 1))
            .append(" | ")
            .append(num(100 * x.foreignCpu(), 0))
            .append("% |\n");
      }
    }
    md.append("\n");
  }

  private static void saturationAndCost(StringBuilder md, Results.Report r) {
    if (r.targets().stream().noneMatch(t -> t.saturation() != null)) {
      return;
    }
    md.append("#### Saturation\n\n")
        .append(
            "| Target | Throughput (rps) | x nginx | Rounds | Proxy CPU busy | rps per proxy CPU |"
                + " Proxy CPU s / 1000 calls | Errors | Tool | Other load |\n")
        .append("|---|---:|---:|---|---:|---:|---:|---:|---|---:|\n");
    for (Results.TargetResult t : r.targets()) {
      Results.Saturation s = t.saturation();
      if (s == null) {
        continue;
      }
      md.append("| ")
          .append(t.name())
          .append(" | ")
          .append(num(s.rps(), 0))
          .append(" | ")
          .append(s.ratioToNginx() == null ? "–" : num(s.ratioToNginx(), 2))
          .append(" | ")
          .append(s.roundsRps().stream().map(v -> num(v, 0)).toList())
          .append(" | ")
          .append(
              s.proxyCpuUtilisation() == null ? "–" : num(100 * s.proxyCpuUtilisation(), 0) + "%")
          .append(" | ")
          .append(s.rpsPerProxyCore() == null ? "–" : num(s.rpsPerProxyCore(), 0))
          .append(" | ")
          .append(s.proxyCpuPer1000() == null ? "–" : num(s.proxyCpuPer1000(), 3))
          .append(" | ")
          .append(s.errors())
          .append(" | ")
          .append(s.tool())
          .append(", ")
          .append(s.connections())
          .append(" conn. | ")
          .append(num(100 * s.foreignCpu(), 0))
          .append("% |\n");
    }
    md.append("\n");
  }

  private static void startup(StringBuilder md, List<Results.StartupResult> startup) {
    if (startup.isEmpty()) {
      return;
    }
    md.append("#### Start to ready\n\n")
        .append("From spawning the JVM to the first 200 of `/readyz`; ")
        .append(StartupPhase.RUNS)
        .append(" starts each, agent-all config.\n\n")
        .append(
            "| Launch | Median ms | Min ms | Runs ms | CPU ms used by ready (median) | RSS at"
                + " ready MiB | Note |\n")
        .append("|---|---:|---:|---|---:|---:|---|\n");
    for (Results.StartupResult s : startup) {
      md.append("| ")
          .append(s.variant())
          .append(" | ")
          .append(num(s.medianMs(), 0))
          .append(" | ")
          .append(num(s.minMs(), 0))
          .append(" | ")
          .append(s.readyMs().stream().map(v -> num(v, 0)).toList())
          .append(" | ")
          .append(num(s.medianCpuMs(), 0))
          .append(" | ")
          .append(num(s.rssAtReadyMiB(), 1))
          .append(" | ")
          .append(s.note() == null ? "" : s.note())
          .append(" |\n");
    }
    md.append("\n");
  }

  private static void sse(StringBuilder md, List<Results.SseResult> sse) {
    if (sse.isEmpty()) {
      return;
    }
    md.append("#### SSE relay throughput\n\n")
        .append("One GET stream of ")
        .append(StreamsPhase.EVENTS)
        .append(" progress notifications (about 190 bytes each); median of ")
        .append(StreamsPhase.ROUNDS)
        .append(".\n\n| Target | Events/s | MB/s | Runs |\n|---|---:|---:|---|\n");
    for (Results.SseResult s : sse) {
      md.append("| ")
          .append(s.target())
          .append(" | ")
          .append(num(s.medianEventsPerSecond(), 0))
          .append(" | ")
          .append(num(s.mbPerSecond(), 1))
          .append(" | ")
          .append(s.eventsPerSecond().stream().map(v -> num(v, 0)).toList())
          .append(" |\n");
    }
    md.append("\n");
  }

  private static void idle(StringBuilder md, List<Results.IdleResult> idle) {
    if (idle.isEmpty()) {
      return;
    }
    md.append("#### Idle SSE streams\n\n")
        .append("Resident memory of the proxy (nginx: master + worker) holding idle GET streams,")
        .append(" each on its own client and upstream connection.\n\n")
        .append("| Target | No streams MiB | 1,000 streams MiB | Most streams (count) MiB |")
        .append(" KiB per stream | 10,000 streams MiB | Note |\n")
        .append("|---|---:|---:|---:|---:|---:|---|\n");
    for (Results.IdleResult i : idle) {
      md.append("| ")
          .append(i.target())
          .append(" | ")
          .append(num(i.baselineMiB(), 1))
          .append(" | ")
          .append(num(i.with1000MiB(), 1))
          .append(" | ")
          .append(
              i.withManyMiB() == null
                  ? "–"
                  : num(i.withManyMiB(), 1) + " (" + num(i.manyStreams(), 0) + ")")
          .append(" | ")
          .append(i.perStreamKiB() == null ? "–" : num(i.perStreamKiB(), 1))
          .append(" | ")
          .append(
              i.at10000MiB() == null
                  ? "–"
                  : num(i.at10000MiB(), 1) + (i.extrapolated() ? " (extrapolated)" : ""))
          .append(" | ")
          .append(i.note() == null ? "" : i.note())
          .append(" |\n");
    }
    md.append("\n");
  }

  private static void jmh(StringBuilder md, List<Results.JmhResult> jmh) {
    if (jmh.isEmpty()) {
      return;
    }
    md.append("#### JMH micro-benchmarks\n\n| Benchmark | Score | Error | Unit |\n")
        .append("|---|---:|---:|---|\n");
    for (Results.JmhResult j : jmh) {
      md.append("| ")
          .append(j.benchmark())
          .append(" | ")
          .append(num(j.score(), 1))
          .append(" | ± ")
          .append(num(j.error(), 1))
          .append(" | ")
          .append(j.unit())
          .append(" |\n");
    }
    md.append("\n");
  }

  private static void budget(StringBuilder md, List<Results.BudgetLine> budget) {
    if (budget.isEmpty()) {
      return;
    }
    md.append("#### Budget\n\n| Item | Limit | Measured | Met | Margin |\n")
        .append("|---|---|---|---|---|\n");
    for (Results.BudgetLine b : budget) {
      md.append("| ")
          .append(b.item())
          .append(" | ")
          .append(b.limit())
          .append(" | ")
          .append(b.measured())
          .append(" | ")
          .append(b.met() ? "met" : "**missed**")
          .append(" | ")
          .append(b.margin())
          .append(" |\n");
    }
    md.append("\n");
  }

  private static String num(double v, int digits) {
    return String.format("%,." + digits + "f", v);
  }
}
