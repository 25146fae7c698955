package io.mcpsidecar.agent.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The policy's metrics (docs/metrics.md): {@code mcp_sidecar_policy_decisions_total{decision, rule,
 * tenant}} and {@code mcp_sidecar_policy_evaluation_errors_total{rule}}. Rule ids come from the
 * config, so their number is bounded by it. The tenant label is capped as the limits' is:
 * configured tenants and the first {@code telemetry.metrics.maxTenants} others get their own value,
 * later ones share {@code _OTHER}. Thread-safe; counters are looked up without building a key per
 * call.
 */
public final class PolicyMetrics {

  /** The {@code decision} of an approved call that was let through (counted by the approvals). */
  public static final String APPROVED_USE = "approved_use";

  static final String OTHER = "_OTHER";

  private final MeterRegistry registry;
  private final IntSupplier maxTenants;
  private final Supplier<Set<String>> configured;
  private final Set<String> labelled = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<String, Map<String, Counter>>> decisions =
      new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();

  /**
   * @param maxTenants the cap on tenants with a label of their own
   * @param configured tenants that always keep their own label (the config's tenants)
   */
  public PolicyMetrics(
      MeterRegistry registry, IntSupplier maxTenants, Supplier<Set<String>> configured) {
    this.registry = registry;
    this.maxTenants = maxTenants;
    this.configured = configured;
  }

  /**
   * Counts one decision.
   *
   * @param decision {@code allow}, {@code deny}, {@code approval_required} or {@value
   *     #APPROVED_USE}
   * @param rule the deciding rule's id, or {@code default}
   * @param tenant the caller's tenant (capped here)
   */
  public void decision(String decision, String rule, String tenant) {
    String label = tenantLabel(tenant);
    Map<String, Map<String, Counter>> byRule =
        decisions.computeIfAbsent(label, t -> new ConcurrentHashMap<>());
    Map<String, Counter> byDecision = byRule.get(rule);
    if (byDecision == null) {
      byDecision = byRule.computeIfAbsent(rule, r -> new ConcurrentHashMap<>());
    }
    Counter counter = byDecision.get(decision);
    if (counter == null) {
      counter =
          byDecision.computeIfAbsent(
              decision,
              d ->
                  Counter.builder("mcp.sidecar.policy.decisions")
                      .description("Policy decisions by decision, deciding rule and tenant")
                      .tag("decision", d)
                      .tag("rule", rule)
                      .tag("tenant", label)
                      .register(registry));
    }
    counter.increment();
  }

  /** Counts a condition that failed when evaluated (and was decided fail-closed). */
  public void evaluationError(String rule) {
    Counter counter = errors.get(rule);
    if (counter == null) {
      counter =
          errors.computeIfAbsent(
              rule,
              r ->
                  Counter.builder("mcp.sidecar.policy.evaluation.errors")
                      .description(
                          "Policy conditions that failed when evaluated (decided fail-closed)")
                      .tag("rule", r)
                      .register(registry));
    }
    counter.increment();
  }

  /** The tenant's label value: itself, or {@code _OTHER} once the cap is reached. */
  String tenantLabel(String tenant) {
    if (labelled.contains(tenant) || configured.get().contains(tenant)) {
      return tenant;
    }
    if (labelled.size() < maxTenants.getAsInt() && labelled.add(tenant)) {
      return tenant;
    }
    return labelled.contains(tenant) ? tenant : OTHER;
  }
}
