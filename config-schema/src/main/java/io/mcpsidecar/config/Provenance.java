package io.mcpsidecar.config;

import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Where values came from besides the file's own text: substituted from the environment (kept as
 * their template, e.g. {@code Bearer ${API_TOKEN}}) or filled in from a schema default. Decides how
 * a value is shown in a violation, so that a substituted value, which may be a secret, is never
 * printed.
 */
record Provenance(Map<ConfigPath, String> substituted, Set<ConfigPath> defaulted) {

  Provenance {
    substituted = Map.copyOf(substituted);
    defaulted = Set.copyOf(defaulted);
  }

  /** The value as found, in JSON notation ({@code "localhost"}, {@code 70000}, {@code missing}). */
  String render(ConfigPath path, JsonNode value) {
    String template = substituted.get(path);
    if (template != null) {
      return quote(template) + " (resolved from the environment; value not shown)";
    }
    if (value == null || value.isMissingNode()) {
      return "missing";
    }
    String text = value.toString();
    return defaulted.contains(path) ? text + " (the default)" : text;
  }

  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
