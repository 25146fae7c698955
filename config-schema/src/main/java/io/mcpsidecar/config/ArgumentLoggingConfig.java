package io.mcpsidecar.config;

import java.util.List;

/**
 * Tool-call arguments in the access log: off by default, redacted by name when on.
 *
 * @param enabled whether arguments are logged
 * @param redact case-insensitive globs of argument names whose values are replaced
 * @param maxBytes longest arguments JSON written
 */
public record ArgumentLoggingConfig(boolean enabled, List<String> redact, int maxBytes) {
  public ArgumentLoggingConfig {
    redact = List.copyOf(redact);
  }
}
