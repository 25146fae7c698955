package io.mcpsidecar.agent.policy;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.TenantConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The policy of one config snapshot, compiled once: the top-level rule set and each tenant's own.
 * Stages keep the plan of the snapshot they last saw and compile again only when the snapshot
 * changes (by identity), never per call.
 */
public final class PolicyPlan {

  private final AgentConfig config;
  private final RuleSet defaults;
  private final Map<String, RuleSet> tenants;

  public PolicyPlan(AgentConfig config) {
    this.config = config;
    this.defaults = new RuleSet(config.policy());
    Map<String, RuleSet> own = new HashMap<>();
    for (TenantConfig tenant : config.tenants()) {
      if (tenant.policy() != null) {
        own.put(tenant.id(), new RuleSet(tenant.policy()));
      }
    }
    this.tenants = Map.copyOf(own);
  }

  /** Whether this plan was compiled from exactly this snapshot. */
  public boolean compiledFrom(AgentConfig snapshot) {
    return config == snapshot;
  }

  /** The rule set that applies to {@code tenant}: its own, or the top-level one. */
  public RuleSet ruleSetOf(String tenant) {
    RuleSet own = tenants.get(tenant);
    return own != null ? own : defaults;
  }

  /** The tenants with a rule set of their own. */
  public Set<String> tenantsWithOwnRules() {
    return tenants.keySet();
  }
}
