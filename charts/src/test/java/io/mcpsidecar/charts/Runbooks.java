package io.mcpsidecar.charts;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How runbook files are named: the alert name in kebab case, unless several alerts share one
 * runbook, which then names each of them.
 */
final class Runbooks {

  private Runbooks() {}

  /** {@code McpSidecarJvmHeapHigh} → {@code mcp-sidecar-jvm-heap-high.md}. */
  static String fileName(String alertName) {
    return alertName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) + ".md";
  }

  /** The runbook file an alert's {@code runbook_url} points at, without its fragment. */
  static Path file(String runbookUrl) {
    String path = runbookUrl.substring(RepoFiles.RUNBOOK_URL_PREFIX.length());
    int fragment = path.indexOf('#');
    return RepoFiles.root().resolve(fragment < 0 ? path : path.substring(0, fragment));
  }
}
