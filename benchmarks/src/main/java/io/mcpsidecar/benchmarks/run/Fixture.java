package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.BenchOptions;
import io.mcpsidecar.benchmarks.load.Endpoint;
import io.mcpsidecar.benchmarks.process.AgentProcess;
import io.mcpsidecar.benchmarks.process.ChildProcess;
import io.mcpsidecar.benchmarks.process.Cpus;
import io.mcpsidecar.benchmarks.process.FileLimits;
import io.mcpsidecar.benchmarks.process.JvmLaunch;
import io.mcpsidecar.benchmarks.process.Nginx;
import io.mcpsidecar.benchmarks.process.UpstreamProcess;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of a run and the client that loads them: the static upstream, nginx, the agents,
 * and one event loop for the load generator. Closing it stops everything it started.
 */
final class Fixture implements AutoCloseable {

  final BenchOptions options;
  final Cpus cpus;
  final Vertx vertx;
  final HttpClientAgent client;
  final UpstreamProcess.Started upstream;
  final AgentProcess agents;
  final JvmLaunch recommendedJvm;
  private final List<ChildProcess> processes = new ArrayList<>();

  private Fixture(BenchOptions options, Cpus cpus) throws IOException {
    this.options = options;
    this.cpus = cpus;
    Files.createDirectories(options.out());
    this.agents = new AgentProcess(options.agentJar(), options.out(), cpus);
    this.recommendedJvm =
        new JvmLaunch(
            "JDK " + Runtime.version().feature() + " + scripts/agent-java-opts",
            JvmLaunch.currentJava(),
            JvmLaunch.readOptions(options.javaOpts()));
    // One event loop for the whole load generator, on the load CPU with the upstream.
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setIdleTimeout(0)
                .setMaxInitialLineLength(8192),
            new PoolOptions().setHttp1MaxSize(16));
    this.upstream = UpstreamProcess.start(options.out().resolve("logs"), cpus);
    processes.add(upstream.process());
  }

  /** Checks the prerequisites, pins the harness, starts the upstream. */
  static Fixture start(BenchOptions options) throws IOException, InterruptedException {
    Nginx.binary(); // fail first and clearly when nginx is missing
    Cpus cpus = Cpus.detect(options.pin());
    FileLimits.raise(65_536);
    cpus.pinSelf();
    return new Fixture(options, cpus);
  }

  Target direct() {
    return new Target(
        "direct", "the static upstream, no proxy", Endpoint.mcp(upstream.port()), null);
  }

  Target nginx() throws IOException {
    Nginx.Started nginx = Nginx.start(options.out().resolve("nginx"), upstream.port(), cpus);
    processes.add(nginx.process());
    return new Target(
        "nginx",
        "nginx " + Machines.nginxVersion() + ", plain reverse proxy, 1 worker",
        Endpoint.mcp(nginx.port()),
        nginx.process());
  }

  /** Starts an agent with a config from the configs directory; returns it with its ready time. */
  AgentTarget agent(String name, String configFile, JvmLaunch jvm) throws IOException {
    Path config = options.configs().resolve(configFile);
    AgentProcess.Started agent = agents.start(name, config, jvm, upstream.url());
    processes.add(agent.process());
    return new AgentTarget(
        new Target(
            name,
            "agent, configs/" + configFile + ", " + jvm.label(),
            Endpoint.mcp(agent.port()),
            agent.process()),
        agent);
  }

  record AgentTarget(Target target, AgentProcess.Started started) {}

  /** Every process of the benchmark that is running (for the foreign-CPU estimate). */
  List<ChildProcess> ours() {
    return processes.stream().filter(ChildProcess::alive).toList();
  }

  void stop(Target target) {
    if (target.proxy() != null) {
      target.proxy().stop(Duration.ofSeconds(10));
      processes.remove(target.proxy());
    }
  }

  @Override
  public void close() {
    for (ChildProcess p : processes) {
      p.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
