package io.mcpsidecar.benchmarks.process;

import io.mcpsidecar.benchmarks.upstream.StaticMcpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The static MCP server in its own JVM, on the load generator's CPU. */
public final class UpstreamProcess {

  private UpstreamProcess() {}

  public record Started(ChildProcess process, int port) {
    public String url() {
      return "http://127.0.0.1:" + port + "/mcp";
    }
  }

  public static Started start(Path logs, Cpus cpus) {
    int port = Network.freePort();
    List<String> command = new ArrayList<>(cpus.on(Cpus.LOAD));
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xms256m",
            "-Xmx256m",
            "-XX:+UseParallelGC",
            "-cp",
            System.getProperty("java.class.path"),
            StaticMcpServer.class.getName(),
            "127.0.0.1",
            Integer.toString(port)));
    ChildProcess process =
        ChildProcess.start("upstream", command, Map.of(), logs.resolve("upstream.log"));
    Network.awaitPort(process, port, Duration.ofSeconds(30));
    return new Started(process, port);
  }
}
