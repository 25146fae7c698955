package io.mcpsidecar.benchmarks.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH micro-benchmarks of the hot path (every class named {@code *Benchmark} in the benchmarks
 * module), one fork each, short iterations: enough to see a change of tens of percent, which is
 * what matters next to the end-to-end numbers.
 */
final class JmhPhase {

  private JmhPhase() {}

  static List<Results.JmhResult> run(Path out) throws RunnerException {
    QuickRun.say("JMH micro-benchmarks");
    Options options =
        new OptionsBuilder()
            .include("io\\.mcpsidecar\\..*Benchmark.*")
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgsAppend("-Xms256m", "-Xmx256m")
            .resultFormat(ResultFormatType.JSON)
            .result(out.resolve("jmh.json").toString())
            .output(out.resolve("jmh.log").toString())
            .build();
    Collection<RunResult> results = new Runner(options).run();
    List<Results.JmhResult> list = new ArrayList<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      list.add(
          new Results.JmhResult(
              name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
              LoadPhase.round(r.getPrimaryResult().getScore(), 1),
              LoadPhase.round(r.getPrimaryResult().getScoreError(), 1),
              r.getPrimaryResult().getScoreUnit()));
    }
    return list;
  }
}
