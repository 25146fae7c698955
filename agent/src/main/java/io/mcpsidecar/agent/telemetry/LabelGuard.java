package io.mcpsidecar.agent.telemetry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the distinct values a client-controlled label may take. The first {@code max} values seen
 * keep their name; later ones are reported as {@code other}, so a client sending ten thousand tool
 * names cannot create ten thousand series.
 */
final class LabelGuard {

  static final String OTHER = "other";
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();

  String label(String value, int max) {
    if (value == null) {
      return "";
    }
    if (admitted.contains(value)) {
      return value;
    }
    if (admitted.size() >= max) {
      return OTHER;
    }
    admitted.add(value);
    return value;
  }
}
