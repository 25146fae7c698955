package io.mcpsidecar.agent;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What was built and what runs it: the project version and git revision written into {@code
 * build.properties} at build time, and the Java runtime. Printed by {@code --version}, exposed as
 * {@code mcp_sidecar_build_info}.
 *
 * @param version the project version, {@code dev} when not built by Maven
 * @param revision the git commit built, {@code unknown} when built outside git
 * @param jdk the version of the Java runtime
 */
record BuildInfo(String version, String revision, String jdk) {

  static final String METRIC = "mcp_sidecar_build_info";

  static BuildInfo current() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // an unreadable resource reads as an unstamped build
    }
    return new BuildInfo(
        stamped(properties.getProperty("version"), "dev"),
        stamped(properties.getProperty("revision"), "unknown"),
        Runtime.version().toString());
  }

  /** A filtered value, or the fallback when the build left it empty or unfiltered. */
  static String stamped(String value, String fallback) {
    return value == null || value.isBlank() || value.startsWith("${") ? fallback : value.trim();
  }

  /** {@code mcp-sidecar-agent 0.1.0 (revision abc123, Java 25.0.3+9-LTS)} */
  String line() {
    return "mcp-sidecar-agent " + version + " (revision " + revision + ", Java " + jdk + ")";
  }

  /** Registers {@code mcp_sidecar_build_info{version,revision,jdk} 1}. */
  void register(PrometheusRegistry registry) {
    Info.builder()
        .name(METRIC)
        .help(
            "The agent's version, the git revision it was built from and the Java runtime; always 1")
        .labelNames("version", "revision", "jdk")
        .register(registry)
        .setLabelValues(version, revision, jdk);
  }
}
