package io.mcpsidecar.benchmarks.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a JVM is launched: which {@code java} and which options. The recommended options live in
 * {@code scripts/agent-java-opts} (one or more per line, {@code #} starts a comment), the same file
 * {@code scripts/demo.sh} reads.
 */
public record JvmLaunch(String label, Path java, List<String> options) {

  public JvmLaunch {
    options = List.copyOf(options);
  }

  public static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  public JvmLaunch with(String label, List<String> more) {
    List<String> all = new ArrayList<>(options);
    all.addAll(more);
    return new JvmLaunch(label, java, all);
  }

  public JvmLaunch on(String label, Path otherJava) {
    return new JvmLaunch(label, otherJava, options);
  }

  /** Reads an options file: whitespace-separated flags, {@code #} comments. */
  public static List<String> readOptions(Path file) throws IOException {
    List<String> options = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      int hash = line.indexOf('#');
      String flags = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (!flags.isEmpty()) {
        options.addAll(List.of(flags.split("\\s+")));
      }
    }
    return options;
  }
}
