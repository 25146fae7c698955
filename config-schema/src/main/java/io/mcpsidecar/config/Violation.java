package io.mcpsidecar.config;

/**
 * One problem found in a configuration: where it is, what was there and what was expected. Rendered
 * as {@code upstream.url: "localhost" (expected: an absolute http or https URL)}.
 */
public record Violation(String path, String value, String expected) {
  @Override
  public String toString() {
    return path + ": " + value + " (expected: " + expected + ")";
  }
}
