package io.mcpsidecar.benchmarks;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The command line of {@link Bench}: {@code --name=value} pairs, all with defaults that suit a run
 * from the {@code benchmarks/} directory.
 *
 * @param mode {@code quick} (the CI regression check), {@code full} or {@code footprint} (memory at
 *     1,000 rps alone, see {@code FootprintRun})
 * @param agentJar the shaded agent jar to run
 * @param javaOpts the recommended JVM options file ({@code scripts/agent-java-opts})
 * @param jdk25 a JDK 25 home for the AOT-cache start-up variant (skipped when absent)
 * @param configs the directory with {@code minimal.yaml} and {@code all-features.yaml}
 * @param reference the quick check's recorded ratios
 * @param recordReference whether the quick check rewrites {@code reference} from this run
 * @param out where results, logs and generated configs go
 * @param pin whether to pin processes to CPUs with taskset
 */
public record BenchOptions(
    String mode,
    Path agentJar,
    Path javaOpts,
    Path jdk25,
    Path configs,
    Path reference,
    boolean recordReference,
    Path out,
    boolean pin) {

  public static BenchOptions parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    String mode = given.getOrDefault("mode", "quick");
    if (!mode.equals("quick") && !mode.equals("full") && !mode.equals("footprint")) {
      throw new IllegalArgumentException(
          "--mode: " + mode + " (expected: quick, full or footprint)");
    }
    return new BenchOptions(
        mode,
        path(given.getOrDefault("agent-jar", "../agent/target/mcp-sidecar-agent.jar")),
        path(given.getOrDefault("java-opts", "../scripts/agent-java-opts")),
        path(given.getOrDefault("jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64")),
        path(given.getOrDefault("configs", "configs")),
        path(given.getOrDefault("reference", "reference-ratios.json")),
        Boolean.parseBoolean(given.getOrDefault("record-reference", "false")),
        path(given.getOrDefault("out", "target/bench")),
        Boolean.parseBoolean(given.getOrDefault("pin", "true")));
  }

  private static Path path(String value) {
    return Path.of(value).toAbsolutePath().normalize();
  }

  public boolean quick() {
    return mode.equals("quick");
  }

  public boolean footprint() {
    return mode.equals("footprint");
  }
}
