package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.BenchOptions;
import io.mcpsidecar.benchmarks.load.SseThroughput;
import java.util.ArrayList;
import java.util.List;

/**
 * Only the SSE relay throughput of the full benchmark, for working on the relay: the agent with
 * every feature on (and, with {@code -Dsse.nginx=true}, nginx) relaying streams of {@link
 * StreamsPhase#EVENTS} progress notifications. Takes the options of {@link
 * io.mcpsidecar.benchmarks.Bench}; {@code -Dsse.warmups} (default 5) streams of half the size warm
 * the JIT before {@code -Dsse.rounds} (default 5) measured streams per target.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests dependency:build-classpath \
 *   -Dmdep.outputFile=target/cp.txt
 * java -cp benchmarks/target/mcp-sidecar-benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/cp.txt) \
 *   io.mcpsidecar.benchmarks.run.SseRun --agent-jar=agent/target/mcp-sidecar-agent.jar \
 *   --configs=benchmarks/configs --java-opts=scripts/agent-java-opts --out=benchmarks/target/sse
 * </pre>
 */
public final class SseRun {

  private SseRun() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args);
    int warmups = Integer.getInteger("sse.warmups", 5);
    int rounds = Integer.getInteger("sse.rounds", 5);
    try (Fixture fixture = Fixture.start(options)) {
      List<Target> targets = new ArrayList<>();
      targets.add(fixture.agent("agent-all", "all-features.yaml", fixture.recommendedJvm).target());
      if (Boolean.getBoolean("sse.nginx")) {
        targets.add(fixture.nginx());
      }
      for (Target t : targets) {
        for (int i = 0; i < warmups; i++) {
          SseThroughput.run(fixture.vertx, fixture.client, t.endpoint(), StreamsPhase.EVENTS / 2);
        }
      }
      for (Target t : targets) {
        List<Double> eps = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          SseThroughput.Result r =
              SseThroughput.run(fixture.vertx, fixture.client, t.endpoint(), StreamsPhase.EVENTS);
          if (r.events() != StreamsPhase.EVENTS) {
            throw new IllegalStateException(
                t.name() + " relayed " + r.events() + " of " + StreamsPhase.EVENTS + " events");
          }
          eps.add(r.eventsPerSecond());
          QuickRun.say(String.format("%-10s SSE: %.0f events/s", t.name(), r.eventsPerSecond()));
        }
        QuickRun.say(
            String.format(
                "%-10s SSE median of %d: %.0f events/s, runs %s",
                t.name(),
                rounds,
                QuickRun.median(eps),
                eps.stream().map(e -> String.format("%.0f", e)).toList()));
      }
    }
    System.exit(0);
  }
}
