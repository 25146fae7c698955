package io.mcpsidecar.config;

import java.util.List;

/** The outcome of loading a configuration: a valid snapshot, or every violation found. */
public sealed interface ConfigResult {

  /** A configuration that passed every check. */
  record Valid(AgentConfig config) implements ConfigResult {}

  /** A configuration that failed; every violation is listed, never only the first. */
  record Invalid(List<Violation> violations) implements ConfigResult {
    public Invalid {
      violations = List.copyOf(violations);
    }
  }
}
