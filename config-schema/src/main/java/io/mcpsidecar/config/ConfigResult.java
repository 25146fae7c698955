package io.mcpsidecar.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** The outcome of loading a configuration: a valid snapshot, or every violation found. */
public sealed interface ConfigResult {

  /**
   * A configuration that passed every check.
   *
   * @param config the immutable snapshot the agent runs on
   * @param redacted the effective configuration (defaults applied, durations in config notation) as
   *     plain maps and lists, with secrets and values from the environment masked; safe to show in
   *     {@code GET /config} and logs
   * @param sha256 hex SHA-256 of the effective configuration in canonical JSON (keys sorted); equal
   *     configs have equal hashes however they were written ({@code 60s} or {@code 1m})
   */
  record Valid(AgentConfig config, Map<String, Object> redacted, String sha256)
      implements ConfigResult {

    public Valid {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(redacted, "redacted");
      Objects.requireNonNull(sha256, "sha256");
    }

    /**
     * A snapshot built in code. Its view masks the schema's secret keys; it cannot know which
     * values came from the environment.
     */
    public Valid(AgentConfig config) {
      this(config, Redaction.view(config, Map.of()), Redaction.sha256(config));
    }

    /** The redacted view as compact JSON, e.g. for a log line. */
    public String redactedJson() {
      return ConfigBinder.mapper().writeValueAsString(redacted);
    }

    /**
     * The settings marked restart-required (see {@link ConfigSchema#restartRequiredPaths()}) whose
     * value differs between {@code previous} and this snapshot: a live reload cannot apply them.
     */
    public List<String> restartRequiredChanges(Valid previous) {
      JsonNode before = ConfigBinder.toTree(previous.config());
      JsonNode after = ConfigBinder.toTree(config);
      List<String> changed = new ArrayList<>();
      for (String path : ConfigSchema.agent().restartRequiredPaths()) {
        ConfigPath at = ConfigPath.parse(path);
        if (!SchemaViolations.find(before, at).equals(SchemaViolations.find(after, at))) {
          changed.add(path);
        }
      }
      return List.copyOf(changed);
    }
  }

  /** A configuration that failed; every violation is listed, never only the first. */
  record Invalid(List<Violation> violations) implements ConfigResult {
    public Invalid {
      violations = List.copyOf(violations);
    }
  }
}
