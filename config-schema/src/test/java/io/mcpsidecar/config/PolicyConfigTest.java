package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyConfigTest {

  static final String MINIMAL = "upstream:\n  url: http://127.0.0.1:8080/mcp\n";

  static AgentConfig valid(String yaml) {
    ConfigResult result = ConfigLoader.parse(yaml, Map.of());
    assertThat(result).as("%s", result).isInstanceOf(ConfigResult.Valid.class);
    return ((ConfigResult.Valid) result).config();
  }

  static List<String> violations(String yaml) {
    ConfigResult result = ConfigLoader.parse(yaml, Map.of());
    assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
    return ((ConfigResult.Invalid) result).violations().stream().map(Violation::toString).toList();
  }

  @Test
  void withoutAPolicySectionEveryCallIsAllowedAndEnforced() {
    PolicyConfig policy = valid(MINIMAL).policy();

    assertThat(policy.mode()).isEqualTo(PolicyConfig.Mode.ENFORCE);
    assertThat(policy.defaultEffect()).isEqualTo(PolicyConfig.Effect.ALLOW);
    assertThat(policy.rules()).isEmpty();
    assertThat(policy.approvals())
        .isEqualTo(
            new ApprovalsConfig(
                Duration.ofMinutes(15),
                Duration.ofMinutes(5),
                ApprovalsConfig.Store.MEMORY,
                10000,
                new NotifyConfig(null, Duration.ofSeconds(2), 3)));
  }

  @Test
  void bindsRulesAndApprovals() {
    AgentConfig config =
        valid(
            MINIMAL
                + """
                policy:
                  mode: audit
                  default: deny
                  rules:
                    - id: readonly-trial
                      effect: deny
                      tenants: ["trial-*"]
                      tools: ["delete_*", "write_*"]
                    - id: big-payments
                      effect: approve
                      tools: [transfer]
                      when: 'double(args.amount) > 1000.0 && claims.role != "admin"'
                  approvals:
                    ttl: 1h
                    holdTimeout: 30s
                    store: redis
                    maxPending: 5
                    notify: {url: "https://chat.example/hook", timeout: 1s, retries: 0}
                """);

    PolicyConfig policy = config.policy();
    assertThat(policy.mode()).isEqualTo(PolicyConfig.Mode.AUDIT);
    assertThat(policy.defaultEffect()).isEqualTo(PolicyConfig.Effect.DENY);
    assertThat(policy.rules()).hasSize(2);
    PolicyRuleConfig first = policy.rules().get(0);
    assertThat(first.id()).isEqualTo("readonly-trial");
    assertThat(first.effect()).isEqualTo(PolicyConfig.Effect.DENY);
    assertThat(first.tenants()).containsExactly(Glob.of("trial-*"));
    assertThat(first.tools()).containsExactly(Glob.of("delete_*"), Glob.of("write_*"));
    assertThat(first.subjects()).isEmpty();
    assertThat(first.hasCondition()).isFalse();
    assertThat(policy.rules().get(1).effect()).isEqualTo(PolicyConfig.Effect.APPROVE);
    assertThat(policy.rules().get(1).hasCondition()).isTrue();
    assertThat(policy.approvals())
        .isEqualTo(
            new ApprovalsConfig(
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                ApprovalsConfig.Store.REDIS,
                5,
                new NotifyConfig(
                    URI.create("https://chat.example/hook"), Duration.ofSeconds(1), 0)));
  }

  @Test
  void aTenantsPolicyReplacesTheDefaultSetAndIsAbsentWhenNotGiven() {
    AgentConfig config =
        valid(
            MINIMAL
                + """
                tenants:
                  - id: acme
                    policy:
                      default: deny
                      rules: [{id: reads, effect: allow, tools: ["read_*"]}]
                  - id: globex
                    concurrency: 3
                policy:
                  rules: [{id: no-delete, effect: deny, tools: ["delete_*"]}]
                """);

    TenantPolicyConfig acme = config.tenants().get(0).policy();
    assertThat(acme).isNotNull();
    assertThat(acme.mode()).isEqualTo(PolicyConfig.Mode.ENFORCE);
    assertThat(acme.defaultEffect()).isEqualTo(PolicyConfig.Effect.DENY);
    assertThat(acme.rules()).extracting(PolicyRuleConfig::id).containsExactly("reads");
    assertThat(config.tenants().get(1).policy()).isNull();
    assertThat(config.policy().rules())
        .extracting(PolicyRuleConfig::id)
        .containsExactly("no-delete");
  }

  @Test
  void aConditionThatDoesNotCompileIsRefusedAtItsPath() {
    assertThat(
            violations(
                MINIMAL
                    + """
                    policy:
                      rules:
                        - {id: ok, effect: deny, when: 'args.path.startsWith("/etc/")'}
                        - {id: syntax, effect: deny, when: 'args.amount >'}
                        - {id: unknown, effect: deny, when: 'request.size > 3'}
                        - {id: not-bool, effect: deny, when: 'tenant + "x"'}
                    tenants:
                      - id: acme
                        policy:
                          rules: [{id: t, effect: allow, when: 'now > 3'}]
                    """))
        .hasSize(4)
        .anySatisfy(v -> assertThat(v).startsWith("policy.rules[1].when: \"args.amount >\""))
        .anySatisfy(
            v -> assertThat(v).startsWith("policy.rules[2].when").contains("undeclared reference"))
        .anySatisfy(v -> assertThat(v).startsWith("policy.rules[3].when"))
        .anySatisfy(v -> assertThat(v).startsWith("tenants[0].policy.rules[0].when"));
  }

  @Test
  void ruleIdsAreUniqueWithinASetAndEffectsAndDefaultsAreClosedSets() {
    assertThat(
            violations(
                MINIMAL
                    + """
                    policy:
                      default: approve
                      rules:
                        - {id: a, effect: deny}
                        - {id: a, effect: allow}
                        - {id: b, effect: maybe}
                        - {effect: deny}
                    """))
        .contains(
            "policy.default: \"approve\" (expected: one of allow, deny)",
            "policy.rules[2].effect: \"maybe\" (expected: one of allow, deny, approve)",
            "policy.rules[1].id: \"a\" (expected: a rule id not used by an earlier rule of the"
                + " set)");
  }

  @Test
  void approvalSettingsAreNotATenantKey() {
    assertThat(
            violations(
                MINIMAL
                    + """
                    tenants:
                      - id: acme
                        policy: {approvals: {ttl: 1m}}
                    """))
        .singleElement()
        .asString()
        .startsWith("tenants[0].policy.approvals");
  }
}
