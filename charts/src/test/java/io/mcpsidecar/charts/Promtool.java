package io.mcpsidecar.charts;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code promtool} (Debian package {@code prometheus}). A missing binary fails the
 * test with the way to install it: these checks are the only proof that the alerts work, so they
 * are never skipped.
 */
final class Promtool {

  /** What one run printed (stdout and stderr together) and how it exited. */
  record Run(List<String> command, int exitCode, String output) {
    String describe() {
      return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
    }
  }

  private static final long TIMEOUT_MINUTES = 5;

  private Promtool() {}

  static Run run(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
      process.getOutputStream().close();
      // promtool's output is small; reading it before waiting cannot dead-lock on a full pipe.
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        return fail(String.join(" ", command) + " did not finish in " + TIMEOUT_MINUTES + " min");
      }
      return new Run(command, process.exitValue(), output);
    } catch (IOException e) {
      return fail("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while running " + String.join(" ", command), e);
    }
  }

  static Path binary() {
    String configured = System.getProperty("promtool", "promtool");
    Path direct = Path.of(configured);
    if (configured.contains(File.separator)) {
      if (Files.isExecutable(direct)) {
        return direct;
      }
      return fail("promtool not found at " + configured + " (-Dpromtool). " + installHint());
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, configured);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail("promtool not found on PATH (" + path + "). " + installHint());
  }

  private static String installHint() {
    return "Install the Debian package `prometheus` (apt-get install -y --no-install-recommends"
        + " prometheus; .ci/run does this) or point -Dpromtool=/path/to/promtool at the binary.";
  }
}
