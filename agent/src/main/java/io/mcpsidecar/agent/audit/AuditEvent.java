package io.mcpsidecar.agent.audit;

import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Principal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One security-relevant decision, as {@link AuditSink} writes it: a type from a closed set and the
 * stable fields of docs/audit.md, in order. Built where the decision is taken; never holds
 * arguments, results or credentials.
 */
public final class AuditEvent {

  /** Every kind of audit event; each is counted from start-up, at zero until it happens. */
  public enum Type {
    /** A call the agent answered with a 4xx refusal (written for every one). */
    CALL_REJECTED("call rejected"),
    /** The identity stage's reason for a refusal, before the call's own {@link #CALL_REJECTED}. */
    IDENTITY_REFUSED("identity refused"),
    /** The limit that refused a call, before the call's own {@link #CALL_REJECTED}. */
    LIMIT_REFUSED("limit refused"),
    /** A config change was applied. */
    CONFIG_RELOADED("config reloaded"),
    /** A config change was refused; the last good config stays. */
    CONFIG_REJECTED("config change rejected"),
    /** A policy decision on one request: allow, deny or approval_required (also in audit mode). */
    POLICY_DECISION("policy decision"),
    /** A call needs a human's approval: a new pending approval. */
    APPROVAL_REQUESTED("approval requested"),
    /** A human approved a pending approval. */
    APPROVAL_APPROVED("approval approved"),
    /** A human denied a pending approval. */
    APPROVAL_DENIED("approval denied"),
    /** A pending approval expired without a decision. */
    APPROVAL_EXPIRED("approval expired"),
    /** An approved call was forwarded; the approval is used up. */
    APPROVAL_USED("approval used");

    private final String label;
    private final String summary;

    Type(String summary) {
      this.label = name().toLowerCase(Locale.ROOT);
      this.summary = summary;
    }

    /** The {@code event} field and the {@code type} label of the counter. */
    public String label() {
      return label;
    }

    String summary() {
      return summary;
    }
  }

  private final Type type;
  private final Map<String, Object> fields = new LinkedHashMap<>();
  private boolean warning;

  private AuditEvent(Type type) {
    this.type = type;
    fields.put("event", type.label());
  }

  public static AuditEvent of(Type type) {
    return new AuditEvent(type);
  }

  /** A refusal: {@code decision=deny} and its {@code reason}. */
  public static AuditEvent deny(Type type, String reason) {
    return of(type).with("decision", "deny").with("reason", reason);
  }

  /** Adds a field (ignored when {@code value} is null). */
  public AuditEvent with(String name, Object value) {
    if (value != null) {
      fields.put(name, value);
    }
    return this;
  }

  /**
   * Adds what every call event carries: {@code requestId}, {@code traceId}, and {@code tenant} and
   * {@code subject} once identity has run.
   */
  public AuditEvent call(McpCall call) {
    with("requestId", call.requestId());
    with("traceId", call.get(McpCall.TRACE_ID));
    Principal principal = call.principal();
    if (principal != null) {
      with("tenant", principal.tenant());
      with("subject", principal.subject());
    }
    return this;
  }

  /** Written at level WARN rather than INFO. */
  public AuditEvent warning() {
    this.warning = true;
    return this;
  }

  public Type type() {
    return type;
  }

  /** The fields in the order they are written, {@code event} first. */
  public Map<String, Object> fields() {
    return java.util.Collections.unmodifiableMap(fields);
  }

  boolean isWarning() {
    return warning;
  }

  /** The log line's message: what happened and, for refusals, why. */
  String message() {
    Object reason = fields.get("reason");
    return reason == null ? type.summary() : type.summary() + ": " + reason;
  }
}
