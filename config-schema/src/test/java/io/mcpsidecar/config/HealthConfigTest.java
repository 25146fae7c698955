package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthConfigTest {

  private static final String MINIMAL = "upstream:\n  url: http://127.0.0.1:8080/mcp\n";

  private static ConfigResult parse(String yaml) {
    return ConfigLoader.parse(MINIMAL + yaml, Map.of());
  }

  private static AgentConfig valid(String yaml) {
    ConfigResult result = parse(yaml);
    assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    return ((ConfigResult.Valid) result).config();
  }

  private static List<String> violations(String yaml) {
    ConfigResult result = parse(yaml);
    assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
    return ((ConfigResult.Invalid) result).violations().stream().map(Violation::toString).toList();
  }

  @Test
  void bindsDependenciesOfEveryKind() {
    AgentConfig config =
        valid(
            """
            health:
              dependencies:
                - name: orders-db
                  tcp: orders-db:5432
                  tools: [orders_*]
                  whenDown: error
                  critical: true
                - name: api
                  http: {url: "http://api:8080/health", expectBody: '"UP"'}
                - name: index
                  dns: index.svc
            """);
    List<DependencyConfig> deps = config.health().dependencies();
    assertThat(deps).hasSize(3);
    assertThat(deps.get(0).tcp()).isEqualTo("orders-db:5432");
    assertThat(deps.get(0).http().enabled()).isFalse();
    assertThat(deps.get(0).whenDown()).isEqualTo(DependencyConfig.WhenDown.ERROR);
    assertThat(deps.get(0).tools().get(0).matches("orders_list")).isTrue();
    assertThat(deps.get(1).http().expectStatus()).containsExactly(200);
    assertThat(deps.get(1).http().expectBody()).isEqualTo("\"UP\"");
    assertThat(deps.get(1).whenDown()).isEqualTo(DependencyConfig.WhenDown.TOOL_ERROR);
    assertThat(deps.get(2).dns()).isEqualTo("index.svc");
    assertThat(deps.get(2).unhealthyThreshold()).isEqualTo(3);
    assertThat(deps.get(2).healthyThreshold()).isEqualTo(1);
  }

  @Test
  void refusesADependencyWithNoneOrTwoKindsOfCheck() {
    assertThat(
            violations(
                """
                health:
                  dependencies:
                    - name: a
                    - name: b
                      tcp: b:1
                      dns: b.svc
                """))
        .anySatisfy(v -> assertThat(v).startsWith("health.dependencies[0]: ").contains("(0 set)"))
        .anySatisfy(v -> assertThat(v).startsWith("health.dependencies[1]: ").contains("(2 set)"));
  }

  @Test
  void refusesThresholdsBelowOneATimeoutNotBelowTheIntervalAndRepeatedNames() {
    assertThat(
            violations(
                """
                health:
                  server: {interval: 1s, timeout: 1s, unhealthyThreshold: 0}
                  dependencies:
                    - name: a
                      tcp: a:1
                      healthyThreshold: 0
                """))
        .anySatisfy(v -> assertThat(v).startsWith("health.server.unhealthyThreshold: 0"))
        .anySatisfy(
            v -> assertThat(v).startsWith("health.server.timeout: \"1s\"").contains("below"))
        .anySatisfy(v -> assertThat(v).startsWith("health.dependencies[0].healthyThreshold: 0"));
    assertThat(
            violations(
                """
                health:
                  dependencies:
                    - name: a
                      tcp: a:1
                      interval: 100ms
                      timeout: 200ms
                    - name: a
                      dns: a.svc
                """))
        .anySatisfy(v -> assertThat(v).startsWith("health.dependencies[0].timeout: \"200ms\""))
        .anySatisfy(v -> assertThat(v).startsWith("health.dependencies[1].name: \"a\""));
    assertThat(violations("health:\n  dependencies:\n    - {name: redis, dns: r.svc}\n"))
        .anySatisfy(v -> assertThat(v).startsWith("health.dependencies[0].name: \"redis\""));
  }

  @Test
  void theOldHealthIntervalKeyStillSetsTheServerCheckInterval() {
    AgentConfig old = valid("  healthInterval: 1s\n");
    assertThat(old.health().server().interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(old.health().server().timeout()).isEqualTo(Duration.ofMillis(500));

    AgentConfig both = valid("  healthInterval: 1s\nhealth:\n  server: {interval: 7s}\n");
    assertThat(both.health().server().interval()).isEqualTo(Duration.ofSeconds(7));

    AgentConfig none = valid("");
    assertThat(none.health().server().interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(none.health().server().check()).isEqualTo(ServerCheckConfig.Check.MCP);
  }
}
