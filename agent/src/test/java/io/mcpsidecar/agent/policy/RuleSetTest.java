package io.mcpsidecar.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.mcp.TargetKind;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.mcpsidecar.config.PolicyConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The order of effects, fail-closed conditions, name-only list decisions and the version digest.
 */
class RuleSetTest {

  static RuleSet rules(String policy) {
    ConfigResult result =
        ConfigLoader.parse("upstream:\n  url: http://127.0.0.1:8080/mcp\n" + policy, Map.of());
    assertThat(result).as("%s", result).isInstanceOf(ConfigResult.Valid.class);
    AgentConfig config = ((ConfigResult.Valid) result).config();
    return new PolicyPlan(config).ruleSetOf("acme");
  }

  static PolicyInput tool(String name, Map<String, Object> args) {
    return new PolicyInput(
        "acme", "ada", Map.of(), "tools/call", TargetKind.TOOL, name, () -> args, Instant.now());
  }

  static final String ORDERED =
      "policy:\n  rules:\n"
          + "    - {id: allow-all, effect: allow}\n"
          + "    - {id: approve-pay, effect: approve, tools: [pay]}\n"
          + "    - {id: deny-pay-big, effect: deny, tools: [pay], when: 'args.amount > 100'}\n";

  @Test
  void denyWinsOverApproveAndApproveOverAllowWhateverTheOrder() {
    RuleSet set = rules(ORDERED);
    RuleSet.Listener none = rule -> {};

    assertThat(set.decide(tool("read", Map.of()), none).rule()).isEqualTo("allow-all");
    assertThat(set.decide(tool("pay", Map.of("amount", 5L)), none).rule()).isEqualTo("approve-pay");
    PolicyDecision big = set.decide(tool("pay", Map.of("amount", 500L)), none);
    assertThat(big.rule()).isEqualTo("deny-pay-big");
    assertThat(big.effect()).isEqualTo(PolicyConfig.Effect.DENY);
  }

  @Test
  void argumentsAreReadOnlyWhenASelectedRuleHasACondition() {
    RuleSet set = rules(ORDERED);
    AtomicInteger reads = new AtomicInteger();
    PolicyInput read =
        new PolicyInput(
            "acme",
            "ada",
            Map.of(),
            "tools/call",
            TargetKind.TOOL,
            "read",
            () -> {
              reads.incrementAndGet();
              return Map.of();
            },
            Instant.now());

    set.decide(read, rule -> {});

    assertThat(reads).hasValue(0);
  }

  @Test
  void aFailingConditionIsReportedAndDecidedClosed() {
    RuleSet set =
        rules(
            "policy:\n  default: deny\n  rules:\n"
                + "    - {id: maybe, effect: allow, when: 'args.ok == true'}\n"
                + "    - {id: odd, effect: deny, tools: [x], when: 'args.n > 1'}\n");
    List<String> errors = new ArrayList<>();

    assertThat(set.decide(tool("y", Map.of()), errors::add).rule()).isEqualTo("default");
    assertThat(set.decide(tool("x", Map.of("ok", true, "n", "text")), errors::add).rule())
        .isEqualTo("odd");
    assertThat(errors).containsExactly("maybe", "odd");
  }

  @Test
  void listsHideOnlyWhatNamesAloneDeny() {
    RuleSet set =
        rules(
            "policy:\n  default: deny\n  rules:\n"
                + "    - {id: reads, effect: allow, tools: [\"read_*\"]}\n"
                + "    - {id: no-secret, effect: deny, tools: [read_secret]}\n"
                + "    - {id: etc, effect: deny, tools: [read_file], when: 'args.p == \"/etc\"'}\n"
                + "    - {id: maybe, effect: allow, tools: [calc], when: 'args.n < 10'}\n"
                + "    - {id: pay, effect: approve, tools: [pay]}\n");

    assertThat(set.shows("acme", "ada", "tools/call", TargetKind.TOOL, "read_file")).isTrue();
    assertThat(set.shows("acme", "ada", "tools/call", TargetKind.TOOL, "read_secret")).isFalse();
    assertThat(set.shows("acme", "ada", "tools/call", TargetKind.TOOL, "calc")).isTrue();
    assertThat(set.shows("acme", "ada", "tools/call", TargetKind.TOOL, "pay")).isTrue();
    assertThat(set.shows("acme", "ada", "tools/call", TargetKind.TOOL, "write")).isFalse();
    assertThat(set.canHide()).isTrue();
    assertThat(rules(ORDERED).canHide()).as("only conditional denies").isFalse();
  }

  @Test
  void theVersionIsTheSameForTheSameRulesAndChangesWithThem() {
    assertThat(rules(ORDERED).version()).isEqualTo(rules(ORDERED).version()).hasSize(32);
    assertThat(rules(ORDERED.replace("amount > 100", "amount > 101")).version())
        .isNotEqualTo(rules(ORDERED).version());
    assertThat(rules(ORDERED + "  mode: audit\n").version()).isEqualTo(rules(ORDERED).version());
  }

  @Test
  void methodsNamedByARuleAreEnforcedOthersPass() {
    RuleSet set =
        rules("policy:\n  rules:\n    - {id: no-list, effect: deny, methods: [\"tools/list\"]}\n");

    assertThat(set.enforces("tools/call")).isTrue();
    assertThat(set.enforces("tools/list")).isTrue();
    assertThat(set.enforces("initialize")).isFalse();
    assertThat(rules("policy: {}\n").enforces("tools/list")).isFalse();
  }
}
