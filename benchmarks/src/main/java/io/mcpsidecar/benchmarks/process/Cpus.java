package io.mcpsidecar.benchmarks.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU placement. With two or more CPUs and {@code taskset}, the proxy under test gets CPU 1 to
 * itself and the load generator, the static upstream and wrk share CPU 0: a sidecar with a 1-CPU
 * limit, and the same CPU budget for nginx and the agent. Without them nothing is pinned.
 */
public final class Cpus {

  public static final int LOAD = 0;
  public static final int PROXY = 1;

  private final boolean pinning;
  private final int count;

  private Cpus(boolean pinning, int count) {
    this.pinning = pinning;
    this.count = count;
  }

  /** Decides once, before the harness pins itself (after that it sees only one CPU). */
  public static Cpus detect(boolean wanted) {
    int count = Runtime.getRuntime().availableProcessors();
    return new Cpus(wanted && count >= 2 && onPath("taskset"), count);
  }

  public boolean pinning() {
    return pinning;
  }

  public int count() {
    return count;
  }

  /** The command prefix that runs a program on {@code cpu}, or nothing when not pinning. */
  public List<String> on(int cpu) {
    return pinning ? List.of("taskset", "-c", Integer.toString(cpu)) : List.of();
  }

  /** Pins every thread of the harness itself (the load generator) to {@link #LOAD}. */
  public void pinSelf() throws IOException, InterruptedException {
    if (pinning) {
      long pid = ProcessHandle.current().pid();
      new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(LOAD), Long.toString(pid))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
  }

  public String describe() {
    return pinning
        ? "pinned: proxy on CPU " + PROXY + "; load generator, upstream and wrk on CPU " + LOAD
        : "not pinned (" + count + " CPUs" + (onPath("taskset") ? "" : ", no taskset") + ")";
  }

  public static boolean onPath(String program) {
    return find(program) != null;
  }

  public static Path find(String program) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv("PATH").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
    for (String dir : dirs) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
