package io.mcpsidecar.injector.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The injector started as its own process, the way a container starts it, with the time from
 * spawning the JVM to the first successful HTTPS {@code /healthz}.
 */
public final class InjectorProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final long startupNanos;
  private final Duration startupCpu;

  private InjectorProcess(Process process, int port, long startupNanos) {
    this.process = process;
    this.port = port;
    this.startupNanos = startupNanos;
    // CPU time spent until serving: unlike wall time, barely moved by other load on the machine
    this.startupCpu = process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /**
   * Starts {@code java <jvmArgs> <launch...>} with the given environment and waits until it serves,
   * or fails after {@code timeout}.
   */
  public static InjectorProcess start(
      List<String> launch,
      List<String> jvmArgs,
      Map<String, String> env,
      TestCertificates.Issued ca,
      Path log,
      Duration timeout)
      throws Exception {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(launch);
    var builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put("WEBHOOK_PORT", String.valueOf(port));
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(TestCertificates.trusting(ca))
            .connectTimeout(Duration.ofMillis(500))
            .build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/healthz")).build();
    long start = System.nanoTime();
    Process process = builder.start();
    long deadline = start + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the injector exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return new InjectorProcess(process, port, System.nanoTime() - start);
        }
      } catch (IOException e) {
        // not listening yet
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "the injector did not serve within " + timeout + "; see " + log);
  }

  public int port() {
    return port;
  }

  public Duration startup() {
    return Duration.ofNanos(startupNanos);
  }

  /** CPU time (all threads) the process had used when it first served. */
  public Duration startupCpu() {
    return startupCpu;
  }

  /** SIGTERM, as the kubelet sends it; returns the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        stop();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
