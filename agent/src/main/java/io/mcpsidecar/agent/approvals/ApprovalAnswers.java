package io.mcpsidecar.agent.approvals;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.transport.Rejection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The refusals a call needing approval gets, with the {@code data} docs/errors.md lists. */
final class ApprovalAnswers {

  private ApprovalAnswers() {}

  /** -32015: the call waits for the approval {@code a} (pending). */
  static Rejection required(Approval a, @Nullable Approval expired, @Nullable String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("approvalId", a.id());
    data.put("state", a.state().label());
    data.put("expiresAt", a.expiresAt().toString());
    data.put("rule", a.rule());
    data.put("tool", a.name());
    if (reason != null) {
      data.put("reason", reason);
    }
    if (expired != null) {
      data.put(
          "previous",
          Map.of(
              "approvalId", expired.id(),
              "state", ApprovalState.EXPIRED.label(),
              "expiredAt", expired.expiresAt().toString()));
    }
    return Rejection.of(
        ErrorCode.APPROVAL_REQUIRED,
        "this call needs a human's approval: retry it unchanged once approval "
            + a.id()
            + " is granted",
        data);
  }

  /** -32015 for a held call whose approval expired or that waited its hold timeout out. */
  static Rejection stillRequired(Approval a, Instant now, String reason) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("approvalId", a.id());
    data.put("state", a.stateAt(now).label());
    data.put("expiresAt", a.expiresAt().toString());
    data.put("rule", a.rule());
    data.put("tool", a.name());
    data.put("reason", reason);
    return Rejection.of(
        ErrorCode.APPROVAL_REQUIRED,
        "approval " + a.id() + " was not granted in time (" + reason + ")",
        data);
  }

  /** -32011: a human denied the approval. */
  static Rejection denied(Approval a) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("rule", a.rule());
    data.put("approvalId", a.id());
    data.put("state", ApprovalState.DENIED.label());
    if (a.approver() != null) {
      data.put("approver", a.approver());
    }
    if (a.reason() != null) {
      data.put("reason", a.reason());
    }
    return Rejection.of(ErrorCode.POLICY_DENIED, "approval " + a.id() + " was denied", data);
  }

  /** -32019: the store holds as many pending approvals as it may. */
  static Rejection full(int maxPending) {
    return new Rejection(
        ErrorCode.OVERLOADED,
        "too many approvals are pending; retry later",
        Map.of("reason", "approvals_full", "maxPending", maxPending, "retryAfterMs", 30_000),
        Map.of("Retry-After", "30"));
  }
}
