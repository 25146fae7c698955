package io.mcpsidecar.config;

import java.util.List;

/**
 * One policy rule. It matches a call when every selector that is not empty matches (an empty list
 * matches everything) and its {@code when} condition, if any, is true. {@code tools}, {@code
 * resources} and {@code prompts} select the call's target: when any of them is set, the call must
 * be a {@code tools/call} whose tool name matches {@code tools}, a {@code resources/read} or {@code
 * resources/subscribe} whose URI matches {@code resources}, or a {@code prompts/get} whose prompt
 * name matches {@code prompts}.
 *
 * @param id the rule's name, reported in errors, metrics and audit events
 * @param effect what the rule does with a call it matches
 * @param tenants tenant id globs
 * @param subjects subject globs
 * @param methods JSON-RPC method globs; a method named here is enforced even if it is none of the
 *     methods policies always apply to
 * @param tools tool name globs
 * @param resources resource URI globs
 * @param prompts prompt name globs
 * @param when a CEL condition, or empty for none
 */
public record PolicyRuleConfig(
    String id,
    PolicyConfig.Effect effect,
    List<Glob> tenants,
    List<Glob> subjects,
    List<Glob> methods,
    List<Glob> tools,
    List<Glob> resources,
    List<Glob> prompts,
    String when) {

  public PolicyRuleConfig {
    tenants = List.copyOf(tenants);
    subjects = List.copyOf(subjects);
    methods = List.copyOf(methods);
    tools = List.copyOf(tools);
    resources = List.copyOf(resources);
    prompts = List.copyOf(prompts);
  }

  /** Whether the rule has a {@code when} condition. */
  public boolean hasCondition() {
    return !when.isBlank();
  }
}
