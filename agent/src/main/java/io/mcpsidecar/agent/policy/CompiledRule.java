package io.mcpsidecar.agent.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.mcpsidecar.agent.mcp.TargetKind;
import io.mcpsidecar.config.Glob;
import io.mcpsidecar.config.PolicyConditions;
import io.mcpsidecar.config.PolicyConfig;
import io.mcpsidecar.config.PolicyRuleConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One rule, compiled once per config snapshot: its selectors as arrays, its condition a program.
 */
final class CompiledRule {

  /** How a condition came out. */
  enum Condition {
    NONE,
    TRUE,
    FALSE,
    ERROR
  }

  final PolicyRuleConfig config;
  final PolicyDecision decision;
  private final Glob[] tenants;
  private final Glob[] subjects;
  private final Glob[] methods;
  private final Glob[] tools;
  private final Glob[] resources;
  private final Glob[] prompts;
  private final boolean targeted;
  private final CelRuntime.Program program;

  CompiledRule(PolicyRuleConfig config) {
    this.config = config;
    this.decision = new PolicyDecision(config.effect(), config.id());
    this.tenants = array(config.tenants());
    this.subjects = array(config.subjects());
    this.methods = array(config.methods());
    this.tools = array(config.tools());
    this.resources = array(config.resources());
    this.prompts = array(config.prompts());
    this.targeted = tools.length + resources.length + prompts.length > 0;
    try {
      this.program =
          config.hasCondition()
              ? Cel.RUNTIME.createProgram(PolicyConditions.compile(config.when()))
              : null;
    } catch (CelEvaluationException e) {
      // The config validator compiled it already; a program that cannot be planned is a bug.
      throw new IllegalStateException("rule " + config.id() + ": " + e.getMessage(), e);
    }
  }

  private static Glob[] array(List<Glob> globs) {
    return globs.toArray(new Glob[0]);
  }

  String id() {
    return config.id();
  }

  PolicyConfig.Effect effect() {
    return config.effect();
  }

  boolean hasCondition() {
    return program != null;
  }

  /** Whether {@code method} is named by this rule's methods (so the policy applies to it). */
  boolean names(String method) {
    return methods.length > 0 && any(methods, method);
  }

  /** Whether every selector matches; the condition is not looked at. */
  boolean selects(String tenant, String subject, String method, TargetKind kind, String target) {
    if (!any(tenants, tenant) || !any(subjects, subject) || !any(methods, method)) {
      return false;
    }
    if (!targeted) {
      return true;
    }
    return switch (kind) {
      case TOOL -> tools.length > 0 && any(tools, target);
      case PROMPT -> prompts.length > 0 && any(prompts, target);
      case RESOURCE -> resources.length > 0 && any(resources, target);
      case NONE -> false;
    };
  }

  private static boolean any(Glob[] globs, String value) {
    if (globs.length == 0) {
      return true;
    }
    for (Glob glob : globs) {
      if (glob.matches(value)) {
        return true;
      }
    }
    return false;
  }

  /** Evaluates the condition; anything but a boolean result is an error. */
  Condition evaluate(PolicyInput input, Map<String, Object> claims) {
    if (program == null) {
      return Condition.NONE;
    }
    Map<String, Object> vars = new HashMap<>(16);
    vars.put("tenant", input.tenant());
    vars.put("subject", input.subject());
    vars.put("claims", claims);
    vars.put("method", input.method());
    vars.put("name", input.name());
    vars.put("uri", input.uri());
    vars.put("args", input.arguments().get());
    vars.put("now", input.now());
    try {
      Object result = program.eval(vars);
      if (result instanceof Boolean b) {
        return b ? Condition.TRUE : Condition.FALSE;
      }
      return Condition.ERROR;
    } catch (CelEvaluationException | RuntimeException e) {
      return Condition.ERROR;
    }
  }

  /** Whether a condition's outcome counts as a match: errors match deny and approve, not allow. */
  boolean matches(Condition condition) {
    return switch (condition) {
      case NONE, TRUE -> true;
      case FALSE -> false;
      case ERROR -> config.effect() != PolicyConfig.Effect.ALLOW;
    };
  }

  /**
   * The CEL runtime, built when the first rule with a condition is compiled: a policy of names
   * alone, or none, never loads CEL's ~1,000 classes.
   */
  private static final class Cel {
    static final CelRuntime RUNTIME =
        CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(PolicyConditions.OPTIONS).build();
  }
}
