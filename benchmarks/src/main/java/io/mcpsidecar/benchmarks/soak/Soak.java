package io.mcpsidecar.benchmarks.soak;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The soak test command: {@code benchmarks/soak.sh} (or {@code ./mvnw -B -pl benchmarks -am verify
 * -Psoak -DskipTests}). Runs the hostile-client mix beside normal traffic against the shipped agent
 * jar for a bounded time and exits 0 when the agent stayed up, under its RSS ceiling, served the
 * normal client, and every in-flight gauge returned to zero; 1 when a check failed; 2 when it could
 * not run.
 *
 * <p>Options ({@code --name=value}): {@code agent-jar}, {@code java-opts}, {@code configs}, {@code
 * out}, {@code seconds} (default 180), {@code heap} (default 192m, the heap of an injected agent
 * with a 256Mi limit), {@code rss-ceiling-mib} (default 320).
 */
public final class Soak {

  private Soak() {}

  public static void main(String[] args) {
    int exit;
    try {
      Map<String, String> given = new HashMap<>();
      for (String arg : args) {
        if (!arg.startsWith("--") || !arg.contains("=")) {
          throw new IllegalArgumentException("expected --name=value, got " + arg);
        }
        given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      }
      SoakRun.Options options =
          new SoakRun.Options(
              path(given.getOrDefault("agent-jar", "../agent/target/mcp-sidecar-agent.jar")),
              path(given.getOrDefault("java-opts", "../scripts/agent-java-opts")),
              path(given.getOrDefault("configs", "configs")),
              path(given.getOrDefault("out", "target/soak")),
              Integer.parseInt(given.getOrDefault("seconds", "180")),
              given.getOrDefault("heap", "192m"),
              Integer.parseInt(given.getOrDefault("rss-ceiling-mib", "320")));
      exit = new SoakRun(options).run() ? 0 : 1;
    } catch (Exception e) {
      System.err.println("soak could not run: " + e);
      e.printStackTrace(System.err);
      exit = 2;
    }
    System.exit(exit);
  }

  private static Path path(String value) {
    return Path.of(value).toAbsolutePath().normalize();
  }
}
