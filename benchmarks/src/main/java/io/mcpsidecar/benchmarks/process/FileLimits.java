package io.mcpsidecar.benchmarks.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Open-file limits. Ten thousand idle streams need twenty thousand sockets in the proxy (client and
 * upstream side), more than a common default of 1024 or 20000, so the harness raises its own limit
 * (children inherit it) where it is allowed to.
 */
public final class FileLimits {

  private FileLimits() {}

  public static long raise(long wanted) throws IOException, InterruptedException {
    if (current() < wanted && Cpus.onPath("prlimit")) {
      new ProcessBuilder(
              "prlimit",
              "--pid",
              Long.toString(ProcessHandle.current().pid()),
              "--nofile=" + wanted + ":" + wanted)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
    return current();
  }

  /** The soft limit on open files of this process. */
  public static long current() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return 1024;
  }
}
