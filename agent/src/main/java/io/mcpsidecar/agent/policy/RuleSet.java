package io.mcpsidecar.agent.policy;

import io.mcpsidecar.agent.mcp.TargetKind;
import io.mcpsidecar.config.Glob;
import io.mcpsidecar.config.PolicyConfig;
import io.mcpsidecar.config.PolicyRuleConfig;
import io.mcpsidecar.config.PolicySet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled policy rule set (the top-level one or a tenant's): evaluates rules in order, deny wins
 * over approve, approve over allow, and the default applies when no rule matches. A condition that
 * fails when evaluated counts as a match for deny and approve rules and as no match for allow rules
 * (fail closed), and is reported to {@link Listener#evaluationError}.
 */
public final class RuleSet {

  /** The methods the policy always applies to; others only when a rule's methods name them. */
  static final Set<String> ENFORCED =
      Set.of("tools/call", "resources/read", "resources/subscribe", "prompts/get");

  /** Told of conditions that failed when evaluated. */
  interface Listener {
    void evaluationError(String rule);
  }

  /** One rule looked at, for {@code policy check --explain}. */
  public record Step(
      String rule, String effect, boolean selected, String condition, boolean matched) {}

  private final PolicyConfig.Mode mode;
  private final PolicyDecision fallback;
  private final CompiledRule[] rules;
  private final boolean anyMethods;
  private final boolean canHide;
  private final String version;

  RuleSet(PolicySet set) {
    this.mode = set.mode();
    this.fallback = new PolicyDecision(set.defaultEffect(), PolicyDecision.DEFAULT_RULE);
    List<CompiledRule> compiled = new ArrayList<>();
    boolean methods = false;
    for (PolicyRuleConfig rule : set.rules()) {
      compiled.add(new CompiledRule(rule));
      methods |= !rule.methods().isEmpty();
    }
    this.rules = compiled.toArray(new CompiledRule[0]);
    this.anyMethods = methods;
    boolean hides = !fallback.allowed();
    for (PolicyRuleConfig rule : set.rules()) {
      hides |= rule.effect() == PolicyConfig.Effect.DENY && !rule.hasCondition();
    }
    this.canHide = hides;
    this.version = digest(set);
  }

  public PolicyConfig.Mode mode() {
    return mode;
  }

  /**
   * A digest of the rules and the default: equal on every replica with the same rules, different
   * once they change.
   */
  public String version() {
    return version;
  }

  /**
   * Whether a list could lose an item to this rule set (a deny rule without a condition, or a
   * default deny); when not, list answers are relayed untouched.
   */
  public boolean canHide() {
    return canHide;
  }

  /** Whether the policy applies to requests of {@code method}. */
  public boolean enforces(String method) {
    if (method == null) {
      return false;
    }
    if (ENFORCED.contains(method)) {
      return true;
    }
    if (!anyMethods) {
      return false;
    }
    for (CompiledRule rule : rules) {
      if (rule.names(method)) {
        return true;
      }
    }
    return false;
  }

  /** Decides one request. */
  public PolicyDecision decide(PolicyInput input, Listener listener) {
    return decide(input, listener, null);
  }

  PolicyDecision decide(PolicyInput input, Listener listener, List<Step> explain) {
    PolicyDecision approve = null;
    PolicyDecision allow = null;
    Map<String, Object> claims = null;
    for (CompiledRule rule : rules) {
      boolean selected =
          rule.selects(
              input.tenant(), input.subject(), input.method(), input.kind(), input.target());
      if (!selected) {
        if (explain != null) {
          explain.add(new Step(rule.id(), rule.effect().spelling(), false, "not evaluated", false));
        }
        continue;
      }
      // A rule that cannot change the outcome is skipped, condition and all (unless explaining).
      if (explain == null && !matters(rule.effect(), approve, allow)) {
        continue;
      }
      CompiledRule.Condition condition = CompiledRule.Condition.NONE;
      if (rule.hasCondition()) {
        if (claims == null) {
          claims = CelValues.map(input.claims());
        }
        condition = rule.evaluate(input, claims);
        if (condition == CompiledRule.Condition.ERROR) {
          listener.evaluationError(rule.id());
        }
      }
      boolean matched = rule.matches(condition);
      if (explain != null) {
        explain.add(
            new Step(
                rule.id(),
                rule.effect().spelling(),
                true,
                condition.name().toLowerCase(java.util.Locale.ROOT),
                matched));
      }
      if (!matched) {
        continue;
      }
      switch (rule.effect()) {
        case DENY -> {
          if (explain == null) {
            return rule.decision;
          }
          return finish(rule.decision, input, listener, explain, rule);
        }
        case APPROVE -> approve = approve == null ? rule.decision : approve;
        case ALLOW -> allow = allow == null ? rule.decision : allow;
      }
    }
    if (approve != null) {
      return approve;
    }
    return allow != null ? allow : fallback;
  }

  // With --explain every rule is listed: the ones after a deny are noted as not needed.
  private PolicyDecision finish(
      PolicyDecision decided,
      PolicyInput input,
      Listener listener,
      List<Step> explain,
      CompiledRule deciding) {
    boolean after = false;
    for (CompiledRule rule : rules) {
      if (after) {
        explain.add(
            new Step(rule.id(), rule.effect().spelling(), false, "not needed (denied)", false));
      }
      after |= rule == deciding;
    }
    return decided;
  }

  private static boolean matters(
      PolicyConfig.Effect effect, PolicyDecision approve, PolicyDecision allow) {
    return switch (effect) {
      case DENY -> true;
      case APPROVE -> approve == null;
      case ALLOW -> approve == null && allow == null;
    };
  }

  /**
   * Whether a list may show an item named {@code target} of {@code kind}, judged on names only: it
   * is hidden when a deny rule without a condition selects it, or when the default is deny and no
   * allow or approve rule (with or without a condition) could let it through. Rules with conditions
   * never hide: they cannot be decided on a name.
   */
  public boolean shows(
      String tenant, String subject, String method, TargetKind kind, String target) {
    boolean mayPass = false;
    for (CompiledRule rule : rules) {
      if (!rule.selects(tenant, subject, method, kind, target)) {
        continue;
      }
      if (rule.effect() == PolicyConfig.Effect.DENY) {
        if (!rule.hasCondition()) {
          return false;
        }
      } else {
        mayPass = true;
      }
    }
    return mayPass || fallback.allowed();
  }

  private static String digest(PolicySet set) {
    StringBuilder text = new StringBuilder();
    text.append("default=").append(set.defaultEffect().spelling()).append('\n');
    for (PolicyRuleConfig rule : set.rules()) {
      text.append(rule.id()).append('|').append(rule.effect().spelling());
      for (List<Glob> globs :
          List.of(
              rule.tenants(),
              rule.subjects(),
              rule.methods(),
              rule.tools(),
              rule.resources(),
              rule.prompts())) {
        text.append('|');
        for (Glob glob : globs) {
          text.append(glob.text().length()).append(':').append(glob.text());
        }
      }
      text.append('|').append(rule.when().length()).append(':').append(rule.when()).append('\n');
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
