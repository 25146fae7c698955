package io.mcpsidecar.config;

import java.util.List;

/**
 * A set of policy rules with its mode and default: the top-level {@code policy} ({@link
 * PolicyConfig}) or a tenant's own ({@link TenantPolicyConfig}), which replaces it as a whole.
 */
public interface PolicySet {

  /** Whether decisions are enforced or only computed, counted and audited. */
  PolicyConfig.Mode mode();

  /** The effect when no rule matches: {@link PolicyConfig.Effect#ALLOW} or {@code DENY}. */
  PolicyConfig.Effect defaultEffect();

  /** The rules, in the order they are evaluated. */
  List<PolicyRuleConfig> rules();
}
