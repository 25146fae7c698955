package io.mcpsidecar.agent.policy;

import io.mcpsidecar.config.PolicyConfig;

/**
 * What the policy decided for one request: its effect and the rule that decided (the rule id, or
 * {@value #DEFAULT_RULE} when no rule matched). Instances are built once per compiled rule set and
 * shared, so a decision allocates nothing.
 *
 * @param effect allow, deny or approve
 * @param rule the id of the deciding rule, or {@value #DEFAULT_RULE}
 */
public record PolicyDecision(PolicyConfig.Effect effect, String rule) {

  /** The {@code rule} of a decision no rule made. */
  public static final String DEFAULT_RULE = "default";

  /** The {@code decision} label of the metric and the audit event. */
  public String label() {
    return switch (effect) {
      case ALLOW -> "allow";
      case DENY -> "deny";
      case APPROVE -> "approval_required";
    };
  }

  public boolean allowed() {
    return effect == PolicyConfig.Effect.ALLOW;
  }
}
