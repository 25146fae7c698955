package io.mcpsidecar.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real redis-server processes from Debian's package ({@code /usr/bin/redis-server}, which also runs
 * Sentinel with {@code --sentinel}; {@code redis-cli} from redis-tools builds clusters), each in a
 * directory of its own, killed with SIGKILL as a crash would, and started again on the same port
 * with the same files.
 */
final class RedisProcesses implements AutoCloseable {

  static final String SERVER = "/usr/bin/redis-server";
  static final String CLI = "/usr/bin/redis-cli";

  /** A test that needs them is skipped, saying why, only when the binaries are not installed. */
  static void assumeInstalled() {
    boolean present = Files.isExecutable(Path.of(SERVER)) && Files.isExecutable(Path.of(CLI));
    if (!present) {
      System.err.println(
          "skipping: "
              + SERVER
              + " or "
              + CLI
              + " is missing; scripts/test.sh installs them (apt-get install redis-server"
              + " redis-tools)");
    }
    Assumptions.assumeTrue(present, "redis-server and redis-cli from Debian's packages");
  }

  /** One process and how to start it again. */
  final class Node {
    final int port;
    final List<String> command;
    final Path dir;
    Process process;

    Node(int port, List<String> command, Path dir) {
      this.port = port;
      this.command = command;
      this.dir = dir;
    }

    void start() {
      try {
        process =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile())
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      waitUntil(() -> cli(port, "PING").contains("PONG"), "redis on " + port + " to answer");
    }

    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String address() {
      return "127.0.0.1:" + port;
    }
  }

  private final Path root;
  private final List<Node> nodes = new ArrayList<>();

  RedisProcesses(Path root) {
    this.root = root;
  }

  Node server(String... extra) {
    int port = freePort();
    Path dir = dir("server-" + port);
    List<String> command =
        new ArrayList<>(
            List.of(
                SERVER,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    command.addAll(List.of(extra));
    return started(new Node(port, command, dir));
  }

  Node sentinel(String masterName, int masterPort) {
    int port = freePort();
    Path dir = dir("sentinel-" + port);
    Path conf = dir.resolve("sentinel.conf");
    try {
      Files.writeString(
          conf,
          "port "
              + port
              + "\nbind 127.0.0.1\ndir "
              + dir
              + "\nsentinel monitor "
              + masterName
              + " 127.0.0.1 "
              + masterPort
              + " 2\nsentinel down-after-milliseconds "
              + masterName
              + " 1000\nsentinel failover-timeout "
              + masterName
              + " 5000\nsentinel parallel-syncs "
              + masterName
              + " 1\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return started(new Node(port, List.of(SERVER, conf.toString(), "--sentinel"), dir));
  }

  private Node started(Node node) {
    nodes.add(node);
    node.start();
    return node;
  }

  private Path dir(String name) {
    try {
      return Files.createDirectories(root.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String cli(int port, String... args) {
    List<String> command =
        new ArrayList<>(List.of(CLI, "-h", "127.0.0.1", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    return run(command);
  }

  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }

  static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      if (node.process != null) {
        node.kill();
      }
    }
  }
}
