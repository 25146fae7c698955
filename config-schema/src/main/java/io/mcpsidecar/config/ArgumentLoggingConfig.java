package io.mcpsidecar.config;

import java.util.List;

/**
 * Tool-call arguments in the access log: off by default, redacted by name when on.
 *
 * @param enabled whether arguments are logged
 * @param redact globs of argument names whose values are replaced, matched ignoring case
 * @param maxBytes longest arguments JSON written
 */
public record ArgumentLoggingConfig(boolean enabled, List<Glob> redact, int maxBytes) {
  public ArgumentLoggingConfig {
    // Ignoring case: a redaction rule is a safety net, and "Password" is as secret as "password".
    redact = redact.stream().map(Glob::ignoringCase).toList();
  }
}
