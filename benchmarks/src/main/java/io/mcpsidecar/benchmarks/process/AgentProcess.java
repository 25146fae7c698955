package io.mcpsidecar.benchmarks.process;

import io.mcpsidecar.benchmarks.upstream.StaticMcpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent as it ships: its shaded jar in its own JVM on the proxy CPU, with a config from {@code
 * benchmarks/configs/} whose {@code ${MCP_PORT}}, {@code ${ADMIN_PORT}}, {@code ${UPSTREAM_URL}}
 * and {@code ${OTLP_URL}} the harness fills in.
 */
public final class AgentProcess {

  /**
   * A started agent: {@code readyMillis} is from spawn to the first 200 of /readyz, {@code
   * cpuAtReadyMillis} the CPU time the JVM had used by then (all its threads; less sensitive than
   * wall time to other work on the machine).
   */
  public record Started(
      ChildProcess process, int port, int adminPort, double readyMillis, double cpuAtReadyMillis) {}

  private final Path jar;
  private final Path work;
  private final Cpus cpus;

  public AgentProcess(Path jar, Path work, Cpus cpus) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "agent jar not found: "
              + jar
              + " (build it: ./mvnw -B -q -DskipTests -pl agent -am package)");
    }
    this.jar = jar;
    this.work = work;
    this.cpus = cpus;
  }

  public Started start(String name, Path configTemplate, JvmLaunch jvm, String upstreamUrl)
      throws IOException {
    int port = Network.freePort();
    int adminPort = Network.freePort();
    String upstreamRoot = upstreamUrl.substring(0, upstreamUrl.indexOf('/', "http://".length()));
    Map<String, String> env =
        Map.of(
            "MCP_PORT",
            Integer.toString(port),
            "ADMIN_PORT",
            Integer.toString(adminPort),
            "UPSTREAM_URL",
            upstreamUrl,
            "OTLP_URL",
            upstreamRoot + StaticMcpServer.OTLP_TRACES_PATH);
    String config = Files.readString(configTemplate);
    for (Map.Entry<String, String> var : env.entrySet()) {
      config = config.replace("${" + var.getKey() + "}", var.getValue());
    }
    Path file = work.resolve("configs").resolve(name + ".yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, config);
    List<String> command = new ArrayList<>(cpus.on(Cpus.PROXY));
    command.add(jvm.java().toString());
    command.addAll(jvm.options());
    command.addAll(List.of("-jar", jar.toString(), "--config", file.toString()));
    ChildProcess process =
        ChildProcess.start(name, command, env, work.resolve("logs").resolve(name + ".log"));
    Network.awaitHttp200(process, adminPort, "/readyz", Duration.ofSeconds(60));
    double readyMillis = (System.nanoTime() - process.startedNanos()) / 1e6;
    double cpuMillis = process.sample().cpuSeconds() * 1000;
    return new Started(process, port, adminPort, readyMillis, cpuMillis);
  }
}
