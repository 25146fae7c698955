package io.mcpsidecar.agent.approvals;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One approval: what it is bound to, what it was asked for, and where it is in its life. Immutable;
 * a decision or a use makes a new value. The arguments are kept only as the configured redaction
 * shows them ({@code logging.arguments.redact}); the binding holds their digest.
 *
 * @param id random, unguessable, URL-safe
 * @param binding the hex SHA-256 of (tenant, subject, method, name, argument digest, policy
 *     version): the same call under the same rules has the same binding
 * @param argumentsDigest hex SHA-256 of the arguments' RFC 8785 canonical JSON
 * @param arguments the arguments, redacted, as JSON text
 */
public record Approval(
    String id,
    ApprovalState state,
    String binding,
    String tenant,
    String subject,
    String method,
    String name,
    String rule,
    String policyVersion,
    String argumentsDigest,
    String arguments,
    Instant createdAt,
    Instant expiresAt,
    @Nullable Instant decidedAt,
    @Nullable String approver,
    @Nullable String reason) {

  /** Whether it has expired by {@code now} (an approval expires whatever its state). */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** How long the store keeps the record: one ttl past its expiry. */
  Instant retainUntil() {
    return expiresAt.plus(java.time.Duration.between(createdAt, expiresAt));
  }

  /** Whether the same call finds this approval rather than a new one at {@code now}. */
  boolean liveAt(Instant now) {
    return !expiredAt(now)
        && (state == ApprovalState.PENDING
            || state == ApprovalState.APPROVED
            || state == ApprovalState.DENIED);
  }

  /** The state as seen at {@code now}: pending and approved ones read as expired once past. */
  public ApprovalState stateAt(Instant now) {
    return (state == ApprovalState.PENDING || state == ApprovalState.APPROVED) && expiredAt(now)
        ? ApprovalState.EXPIRED
        : state;
  }

  Approval decided(
      ApprovalState to, @Nullable Instant at, @Nullable String approver, @Nullable String reason) {
    return new Approval(
        id,
        to,
        binding,
        tenant,
        subject,
        method,
        name,
        rule,
        policyVersion,
        argumentsDigest,
        arguments,
        createdAt,
        expiresAt,
        at,
        approver,
        reason);
  }

  Approval inState(ApprovalState to) {
    return decided(to, decidedAt, approver, reason);
  }

  /** The stored form (times as epoch milliseconds, absent fields left out). */
  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("state", state.label())
            .put("binding", binding)
            .put("tenant", tenant)
            .put("subject", subject)
            .put("method", method)
            .put("name", name)
            .put("rule", rule)
            .put("policyVersion", policyVersion)
            .put("argumentsDigest", argumentsDigest)
            .put("arguments", arguments)
            .put("createdAt", createdAt.toEpochMilli())
            .put("expiresAt", expiresAt.toEpochMilli());
    if (decidedAt != null) {
      json.put("decidedAt", decidedAt.toEpochMilli());
    }
    if (approver != null) {
      json.put("approver", approver);
    }
    if (reason != null) {
      json.put("reason", reason);
    }
    return json;
  }

  static Approval fromJson(JsonObject json) {
    Number decided = json.getNumber("decidedAt");
    return new Approval(
        json.getString("id"),
        ApprovalState.of(json.getString("state")),
        json.getString("binding"),
        json.getString("tenant"),
        json.getString("subject"),
        json.getString("method"),
        json.getString("name"),
        json.getString("rule"),
        json.getString("policyVersion"),
        json.getString("argumentsDigest"),
        json.getString("arguments"),
        Instant.ofEpochMilli(json.getNumber("createdAt").longValue()),
        Instant.ofEpochMilli(json.getNumber("expiresAt").longValue()),
        decided == null ? null : Instant.ofEpochMilli(decided.longValue()),
        json.getString("approver"),
        json.getString("reason"));
  }

  /** What the admin API shows: times as ISO-8601, the age, the arguments as JSON. */
  public JsonObject view(Instant now) {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("state", stateAt(now).label())
            .put("tenant", tenant)
            .put("subject", subject)
            .put("method", method)
            .put("tool", name)
            .put("rule", rule)
            .put("policyVersion", policyVersion)
            .put("argumentsDigest", argumentsDigest)
            .put("arguments", argumentsJson())
            .put("createdAt", createdAt.toString())
            .put("expiresAt", expiresAt.toString())
            .put("ageSeconds", Math.max(0, now.getEpochSecond() - createdAt.getEpochSecond()));
    if (decidedAt != null) {
      json.put("decidedAt", decidedAt.toString());
    }
    json.put("approver", approver);
    json.put("reason", reason);
    return json;
  }

  private Object argumentsJson() {
    try {
      return io.vertx.core.json.Json.decodeValue(arguments);
    } catch (io.vertx.core.json.DecodeException e) {
      return arguments; // cut by the redaction's size bound: shown as text
    }
  }
}
