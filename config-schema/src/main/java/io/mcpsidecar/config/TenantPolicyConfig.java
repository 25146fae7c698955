package io.mcpsidecar.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A tenant's own policy rule set, replacing the top-level {@code policy} rules for that tenant as a
 * whole (nothing is merged). Approval settings stay global ({@link PolicyConfig#approvals()}).
 *
 * @param mode enforce decisions, or only compute, count and audit them
 * @param defaultEffect the effect when no rule matches (the key {@code default})
 * @param rules rules in evaluation order
 */
public record TenantPolicyConfig(
    PolicyConfig.Mode mode,
    @JsonProperty("default") PolicyConfig.Effect defaultEffect,
    List<PolicyRuleConfig> rules)
    implements PolicySet {

  public TenantPolicyConfig {
    rules = List.copyOf(rules);
  }
}
