package io.mcpsidecar.injector.admission;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answered review: the AdmissionReview response and what to count and log about it.
 *
 * @param outcome metric label: injected, skipped, rejected, ignored, allowed, denied
 * @param reason metric label: a stable code explaining the outcome
 * @param review the AdmissionReview response body
 * @param details extra fields of the log line, in order; values may hold request content (container
 *     names, images) and are escaped when the line is written, never here
 */
public record Verdict(String outcome, String reason, byte[] review, Map<String, String> details) {
  public Verdict {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** Log fields in the order given: key, value, key, value, ... */
  public static Map<String, String> fields(String... keysAndValues) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      fields.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return fields;
  }

  /** A verdict with no extra log fields. */
  public Verdict(String outcome, String reason, byte[] review) {
    this(outcome, reason, review, Map.of());
  }
}
