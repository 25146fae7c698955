package io.mcpsidecar.charts;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the monitoring files live in the repository, resolved from {@code -Drepo.root}. */
final class RepoFiles {

  /** The prefix every alert's {@code runbook_url} starts with; the rest is a path in the repo. */
  static final String RUNBOOK_URL_PREFIX = "https://github.com/mcp-sidecar/mcp-sidecar/blob/main/";

  private RepoFiles() {}

  static Path root() {
    Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("docs/metrics.md"))) {
      throw new IllegalStateException(
          "repo.root " + root + " is not the repository root (no docs/metrics.md there)");
    }
    return root;
  }

  static Path prometheusDir() {
    return root().resolve("charts/mcp-sidecar/files/prometheus");
  }

  static Path rules() {
    return prometheusDir().resolve("mcp-sidecar-rules.yaml");
  }

  static Path ruleTests() {
    return prometheusDir().resolve("tests");
  }

  static Path dashboard() {
    return root().resolve("charts/mcp-sidecar/files/grafana/mcp-sidecar-dashboard.json");
  }

  static Path metricsDoc() {
    return root().resolve("docs/metrics.md");
  }

  static Path runbooks() {
    return root().resolve("docs/runbooks");
  }
}
