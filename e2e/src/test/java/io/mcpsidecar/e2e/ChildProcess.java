package io.mcpsidecar.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/** A long-running child process (a server) whose output goes to a log file. */
final class ChildProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(1))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ChildProcess start(
      String name, List<String> command, Map<String, String> env, Path workDir, Path log) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      ChildProcess child = new ChildProcess(name, pb.start(), log);
      Runtime.getRuntime().addShutdownHook(new Thread(child::close, "kill-" + name));
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /**
   * Polls {@code url} with GET until {@code statusOk} accepts the HTTP status, the process dies or
   * {@code timeout} passes. Throws with the log's tail on failure.
   */
  void awaitHttp(String url, IntPredicate statusOk, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with code "
                + process.exitValue()
                + " before "
                + url
                + " answered. Log "
                + log
                + ":\n"
                + logTail());
      }
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (statusOk.test(response.statusCode())) {
          return;
        }
        last = "HTTP " + response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(200);
    }
    throw new IllegalStateException(
        name
            + " did not get ready within "
            + timeout.toSeconds()
            + " s: GET "
            + url
            + " -> "
            + last
            + ". Log "
            + log
            + ":\n"
            + logTail());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String status() {
    return process.isAlive() ? "running" : "exited with code " + process.exitValue();
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Ends the process and all its descendants: politely first, then forcibly. */
  @Override
  public void close() {
    destroyTree(process.toHandle());
  }

  static void destroyTree(ProcessHandle root) {
    List<ProcessHandle> tree =
        java.util.stream.Stream.concat(root.descendants(), java.util.stream.Stream.of(root))
            .toList();
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
