package io.mcpsidecar.agent.policy;

import io.mcpsidecar.agent.mcp.TargetKind;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.mcpsidecar.config.PolicyConfig;
import io.mcpsidecar.config.Violation;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code policy check}: asks a config's policy what it would decide for one call, the way {@code
 * kubectl auth can-i} answers, before the config is deployed. Exit code 0 allow, 1 deny, 2 approval
 * required, 3 when the question cannot be asked (bad arguments, invalid config).
 */
public final class PolicyCheck {

  public static final String USAGE =
      "usage: mcp-sidecar-agent policy check --config FILE --tenant T [--subject S]"
          + " [--claims JSON] --method M [--name NAME | --uri URI] [--args JSON] [--explain]";

  static final int ALLOW = 0;
  static final int DENY = 1;
  static final int APPROVAL = 2;
  static final int ERROR = 3;

  private PolicyCheck() {}

  /** Runs {@code policy check} with the arguments after {@code policy check}. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Map<String, String> options = new HashMap<>();
    boolean explain = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--explain")) {
        explain = true;
      } else if (arg.startsWith("--") && i + 1 < args.size()) {
        options.put(arg.substring(2), args.get(++i));
      } else {
        err.println("unexpected argument: " + arg);
        err.println(USAGE);
        return ERROR;
      }
    }
    for (String required : List.of("config", "tenant", "method")) {
      if (!options.containsKey(required)) {
        err.println("missing --" + required);
        err.println(USAGE);
        return ERROR;
      }
    }
    ConfigResult loaded = ConfigLoader.load(Path.of(options.get("config")));
    if (loaded instanceof ConfigResult.Invalid invalid) {
      err.println("invalid config " + options.get("config") + ":");
      for (Violation v : invalid.violations()) {
        err.println("  " + v);
      }
      return ERROR;
    }
    Map<String, Object> claims;
    JsonObject arguments;
    try {
      claims = new JsonObject(options.getOrDefault("claims", "{}")).getMap();
      arguments = new JsonObject(options.getOrDefault("args", "{}"));
    } catch (DecodeException | ClassCastException e) {
      err.println("--claims and --args take a JSON object: " + e.getMessage());
      return ERROR;
    }
    AgentConfig config = ((ConfigResult.Valid) loaded).config();
    return check(config, options, claims, arguments, explain, out);
  }

  private static int check(
      AgentConfig config,
      Map<String, String> options,
      Map<String, Object> claims,
      JsonObject arguments,
      boolean explain,
      PrintStream out) {
    String tenant = options.get("tenant");
    String subject = options.getOrDefault("subject", "");
    String method = options.get("method");
    TargetKind kind = TargetKind.of(method);
    String target = options.getOrDefault(kind == TargetKind.RESOURCE ? "uri" : "name", "");
    PolicyPlan plan = new PolicyPlan(config);
    RuleSet rules = plan.ruleSetOf(tenant);
    String setName =
        plan.tenantsWithOwnRules().contains(tenant)
            ? "tenant " + tenant + "'s own rules"
            : "the top-level policy";
    if (!rules.enforces(method)) {
      out.println("allow: the policy does not apply to " + method + " (no rule names it)");
      return ALLOW;
    }
    PolicyInput input =
        new PolicyInput(
            tenant,
            subject,
            claims,
            method,
            kind,
            target,
            () -> CelValues.map(arguments),
            Instant.now());
    List<String> errors = new ArrayList<>();
    List<RuleSet.Step> steps = new ArrayList<>();
    PolicyDecision decision = rules.decide(input, errors::add, steps);
    String verdict =
        switch (decision.effect()) {
          case ALLOW -> "allow";
          case DENY -> "deny";
          case APPROVE -> "approval required";
        };
    out.println(verdict + ": " + why(decision, steps, errors) + " (" + setName + ")");
    if (rules.mode() == PolicyConfig.Mode.AUDIT) {
      out.println("note: the rule set is in audit mode: this would be counted, not enforced");
    }
    if (explain) {
      out.println("rules looked at, in order:");
      for (RuleSet.Step step : steps) {
        out.println(
            "  "
                + step.rule()
                + " ("
                + step.effect()
                + "): "
                + (step.selected() ? "selects the call" : "does not select the call")
                + (step.selected() ? ", condition " + step.condition() : "")
                + " -> "
                + (step.matched() ? "match" : "no match"));
      }
      out.println(
          "  default ("
              + (decision.rule().equals(PolicyDecision.DEFAULT_RULE) ? "applied" : "not needed")
              + ")");
    }
    return switch (decision.effect()) {
      case ALLOW -> ALLOW;
      case DENY -> DENY;
      case APPROVE -> APPROVAL;
    };
  }

  private static String why(
      PolicyDecision decision, List<RuleSet.Step> steps, List<String> errors) {
    if (decision.rule().equals(PolicyDecision.DEFAULT_RULE)) {
      return "no rule matched, the default is " + decision.effect().spelling();
    }
    for (RuleSet.Step step : steps) {
      if (step.rule().equals(decision.rule()) && step.matched()) {
        String condition =
            switch (step.condition()) {
              case "true" -> " and its condition is true";
              case "error" ->
                  " and its condition failed to evaluate, which counts as a match (fail closed)";
              default -> "";
            };
        return "rule " + decision.rule() + " (" + step.effect() + ") selects the call" + condition;
      }
    }
    return "rule " + decision.rule();
  }
}
