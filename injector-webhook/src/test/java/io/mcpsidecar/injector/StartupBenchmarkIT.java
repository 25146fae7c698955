package io.mcpsidecar.injector;

import io.mcpsidecar.injector.support.InjectorProcess;
import io.mcpsidecar.injector.support.TestCertificates;
import io.mcpsidecar.injector.support.TlsFiles;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up time, measured, not asserted (run with {@code -Pinjector-benchmarks}): spawn to first
 * HTTPS {@code /healthz}, and Micronaut's own "Startup completed in" figure, for the AOT-optimised
 * jar and for the same application without the AOT classes (target/classes plus the runtime
 * classpath), alternating runs. Results go to stdout and {@code
 * target/benchmarks/injector-startup.md}.
 */
@Tag("benchmark")
class StartupBenchmarkIT {
  static final int RUNS = Integer.getInteger("injector.startup.runs", 7);
  static final Pattern COMPLETED = Pattern.compile("Startup completed in (\\d+)ms");

  @Test
  void startupWithAndWithoutMicronautAot(@TempDir Path dir) throws Exception {
    var ca = TestCertificates.ca();
    Files.createDirectories(dir.resolve("tls"));
    var tls = new TlsFiles(dir.resolve("tls"));
    tls.issue(ca);
    Map<String, String> env =
        Map.of("WEBHOOK_TLS_KEY", tls.key().toString(), "WEBHOOK_TLS_CERT", tls.cert().toString());
    String jar = System.getProperty("injector.jar", "target/mcp-sidecar-injector.jar");
    String plain =
        "target/classes"
            + File.pathSeparator
            + System.getProperty("injector.runtime.classpath", "");
    var variants =
        Map.of(
            "jar with Micronaut AOT", List.of("-jar", jar),
            "classes without AOT", List.of("-cp", plain, "io.mcpsidecar.injector.Application"));
    Map<String, List<long[]>> results = new java.util.TreeMap<>();
    for (int run = 0; run < RUNS; run++) {
      for (var variant : variants.entrySet()) {
        Path log = dir.resolve("run-" + run + ".log");
        try (var injector =
            InjectorProcess.start(
                variant.getValue(), List.of(), env, ca, log, Duration.ofSeconds(120))) {
          Matcher m = COMPLETED.matcher(Files.readString(log));
          long micronaut = m.find() ? Long.parseLong(m.group(1)) : -1;
          results
              .computeIfAbsent(variant.getKey(), k -> new ArrayList<>())
              .add(
                  new long[] {
                    injector.startup().toMillis(), micronaut, injector.startupCpu().toMillis()
                  });
        }
      }
    }
    var text = new StringBuilder();
    text.append("| variant | runs | median spawn to /healthz ms | min | max |")
        .append(" median \"Startup completed in\" ms | median CPU ms until serving |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (var e : results.entrySet()) {
      long[] serve = e.getValue().stream().mapToLong(r -> r[0]).sorted().toArray();
      long[] micronaut = e.getValue().stream().mapToLong(r -> r[1]).sorted().toArray();
      long[] cpu = e.getValue().stream().mapToLong(r -> r[2]).sorted().toArray();
      text.append(
          String.format(
              "| %s | %d | %d | %d | %d | %d | %d |%n",
              e.getKey(),
              serve.length,
              serve[serve.length / 2],
              serve[0],
              serve[serve.length - 1],
              micronaut[micronaut.length / 2],
              cpu[cpu.length / 2]));
      System.out.println(
          e.getKey()
              + " wall "
              + Arrays.toString(serve)
              + " micronaut "
              + Arrays.toString(micronaut)
              + " cpu "
              + Arrays.toString(cpu));
    }
    System.out.print(text);
    Path out = Path.of("target/benchmarks/injector-startup.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, text);
  }
}
