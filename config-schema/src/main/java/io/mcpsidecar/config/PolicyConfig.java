package io.mcpsidecar.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Which tenant may call which tool, resource or prompt, with which arguments, and when a human must
 * approve first. The default rule set: a tenant with a {@code policy} of its own ({@link
 * TenantConfig#policy()}) uses that instead, as a whole.
 *
 * @param mode enforce decisions, or only compute, count and audit them
 * @param defaultEffect the effect when no rule matches (the key {@code default})
 * @param rules rules in evaluation order; deny wins over allow, approve needs a human
 * @param approvals how approvals are kept and announced (global: shared by every tenant)
 */
public record PolicyConfig(
    Mode mode,
    @JsonProperty("default") Effect defaultEffect,
    List<PolicyRuleConfig> rules,
    ApprovalsConfig approvals)
    implements PolicySet {

  /** Whether a rule set's decisions are enforced. */
  public enum Mode implements Spelled {
    /** Denied calls are refused, approve rules hold calls until a human says yes. */
    ENFORCE("enforce"),
    /** Every decision is computed, counted and audited; nothing is refused. */
    AUDIT("audit");

    private final String spelling;

    Mode(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String spelling() {
      return spelling;
    }
  }

  /** What a rule (or the default) does with a call it matches. */
  public enum Effect implements Spelled {
    /** The call may go on. */
    ALLOW("allow"),
    /** The call is refused (-32011 policy_denied). */
    DENY("deny"),
    /** The call needs a human's approval first (rules only, never the default). */
    APPROVE("approve");

    private final String spelling;

    Effect(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String spelling() {
      return spelling;
    }
  }

  public PolicyConfig {
    rules = List.copyOf(rules);
  }
}
