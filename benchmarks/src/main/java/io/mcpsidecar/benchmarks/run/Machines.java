package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.process.Cpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the run ran on, read from the machine itself. */
final class Machines {

  private Machines() {}

  static Results.Machine describe(Cpus cpus, String agentJvm) {
    return new Results.Machine(
        cpuModel(),
        ResourceSampler.onlineCpus(),
        memoryMiB(),
        firstLine("uname", "-sr"),
        System.getProperty("java.vm.name") + " " + Runtime.version(),
        nginxVersion(),
        Cpus.onPath("wrk") ? firstLine("wrk", "-v").replaceAll(" \\[.*", "") : "not installed",
        cpus.describe(),
        agentJvm,
        loadAverage(),
        null);
  }

  static Results.Machine finish(Results.Machine m) {
    return new Results.Machine(
        m.cpuModel(),
        m.cpus(),
        m.memoryMiB(),
        m.kernel(),
        m.java(),
        m.nginx(),
        m.wrk(),
        m.placement(),
        m.agentJvm(),
        m.loadAverageAtStart(),
        loadAverage());
  }

  static String nginxVersion() {
    String v = firstLine("nginx", "-v");
    return v.contains("/") ? v.substring(v.indexOf('/') + 1).trim() : v;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long memoryMiB() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024)
          .findFirst()
          .orElse(0L);
    } catch (IOException e) {
      return 0;
    }
  }

  static String firstLine(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return out.isEmpty() ? "" : out.lines().findFirst().orElse("");
    } catch (IOException e) {
      return "not installed";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
