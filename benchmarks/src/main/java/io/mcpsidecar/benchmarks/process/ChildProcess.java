package io.mcpsidecar.benchmarks.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the harness started: its output goes to a log file, and it is stopped (SIGTERM, then
 * SIGKILL of the whole tree) when the harness is done with it or exits.
 */
public final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  private final long startedNanos;
  private final Thread reaper;

  private ChildProcess(String name, Process process, Path log, long startedNanos) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.startedNanos = startedNanos;
    this.reaper = new Thread(this::kill, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts {@code command} with extra environment variables; stdout and stderr go to {@code log}.
   */
  public static ChildProcess start(
      String name, List<String> command, Map<String, String> env, Path log) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      builder.environment().putAll(env);
      long started = System.nanoTime();
      return new ChildProcess(name, builder.start(), log, started);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  /** {@link System#nanoTime()} just before the process was spawned. */
  public long startedNanos() {
    return startedNanos;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Process process() {
    return process;
  }

  /** CPU time and resident memory of the process and its children (nginx workers). */
  public ProcessStats.Sample sample() {
    return ProcessStats.sample(process.toHandle());
  }

  /** Waits for the process to exit on its own. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " did not exit within " + timeout);
    }
    return process.exitValue();
  }

  /** The last lines of the process's output, for error messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGTERM (graceful: the agent drains, a JVM writes its class archive), then SIGKILL. */
  public void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  private void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to; nothing to undo
    }
  }
}
