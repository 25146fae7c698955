package io.mcpsidecar.charts;

import java.util.Locale;

/** How runbook files are named: the alert name in kebab case. */
final class Runbooks {

  private Runbooks() {}

  /** {@code McpSidecarJvmHeapHigh} → {@code mcp-sidecar-jvm-heap-high.md}. */
  static String fileName(String alertName) {
    return alertName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) + ".md";
  }
}
