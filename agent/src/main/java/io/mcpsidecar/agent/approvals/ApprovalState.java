package io.mcpsidecar.agent.approvals;

import java.util.Locale;

/** Where an approval is in its life: pending until a human decides or it expires; used once. */
public enum ApprovalState {
  PENDING,
  APPROVED,
  DENIED,
  EXPIRED,
  USED;

  /** The lower-case name the API, the errors, the metrics and the audit trail show. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ApprovalState of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
