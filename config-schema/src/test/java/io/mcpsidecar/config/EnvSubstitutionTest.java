package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code ${NAME}} references, resolved from an injected environment, never the real one. */
class EnvSubstitutionTest {

  static ConfigResult parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, env);
  }

  static ConfigResult.Valid valid(String yaml, Map<String, String> env) {
    ConfigResult result = parse(yaml, env);
    assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    return (ConfigResult.Valid) result;
  }

  static List<String> violations(String yaml, Map<String, String> env) {
    ConfigResult result = parse(yaml, env);
    assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
    return ((ConfigResult.Invalid) result).violations().stream().map(Violation::toString).toList();
  }

  @Test
  void substitutesVariablesInsideStrings() {
    AgentConfig config =
        valid("upstream:\n  url: http://${HOST}:${PORT}/mcp\n", Map.of("HOST", "mcp", "PORT", "81"))
            .config();
    assertThat(config.upstream().url()).hasToString("http://mcp:81/mcp");
  }

  @Test
  void usesTheDefaultWhenTheVariableIsUnsetOrEmpty() {
    String yaml = "upstream:\n  url: http://127.0.0.1:${PORT:-8080}/mcp\n";
    assertThat(valid(yaml, Map.of()).config().upstream().url().getPort()).isEqualTo(8080);
    assertThat(valid(yaml, Map.of("PORT", "")).config().upstream().url().getPort()).isEqualTo(8080);
    assertThat(valid(yaml, Map.of("PORT", "81")).config().upstream().url().getPort()).isEqualTo(81);
  }

  @Test
  void givesAWholeReferenceTheTypeTheKeyNeeds() {
    AgentConfig config =
        valid(
                """
                listen: {port: "${PORT}"}
                upstream: {url: "http://127.0.0.1:1/mcp", maxConnections: "${POOL:-16}"}
                logging: {accessLog: "${ACCESS_LOG}"}
                """,
                Map.of("PORT", "9100", "ACCESS_LOG", "false"))
            .config();
    assertThat(config.listen().port()).isEqualTo(9100);
    assertThat(config.upstream().maxConnections()).isEqualTo(16);
    assertThat(config.logging().accessLog()).isFalse();
  }

  @Test
  void writesALiteralDollarBraceForADoubledDollar() {
    JsonNode tree = JsonMapper.shared().readTree("{\"a\": \"$${NOT_A_VAR} costs $5\"}");

    EnvSubstitution.Outcome outcome =
        EnvSubstitution.apply(tree, Map.of("NOT_A_VAR", "x"), ConfigSchema.agent());

    assertThat(tree.get("a").stringValue()).isEqualTo("${NOT_A_VAR} costs $5");
    assertThat(outcome.substituted()).isEmpty();
    assertThat(outcome.violations()).isEmpty();
  }

  @Test
  void anUnsetVariableWithoutDefaultNamesThePathAndTheVariable() {
    assertThat(violations("upstream:\n  url: http://${UPSTREAM_HOST}/mcp\n", Map.of()))
        .containsExactly(
            "upstream.url: \"http://${UPSTREAM_HOST}/mcp\" (expected: environment variable"
                + " UPSTREAM_HOST to be set (or a default: ${UPSTREAM_HOST:-value}))");
  }

  @Test
  void reportsAMalformedReference() {
    assertThat(violations("upstream:\n  url: http://${UPSTREAM HOST}/mcp\n", Map.of()))
        .singleElement()
        .asString()
        .startsWith("upstream.url: \"http://${UPSTREAM HOST}/mcp\" (expected: ${NAME} or");
  }

  @Test
  void substitutesInListItemsAndReportsThemByIndex() {
    String yaml =
        "upstream: {url: \"http://127.0.0.1:1/mcp\"}\n"
            + "edge: {allowedOrigins: [\"https://a.example\", \"${ORIGIN}\"]}\n";
    assertThat(valid(yaml, Map.of("ORIGIN", "https://b.example")).config().edge().allowedOrigins())
        .containsExactly("https://a.example", "https://b.example");
    assertThat(violations(yaml, Map.of()))
        .singleElement()
        .asString()
        .startsWith("edge.allowedOrigins[1]: \"${ORIGIN}\" (expected: environment variable ORIGIN");
  }

  @Test
  void neverPrintsASubstitutedValueInAViolation() {
    List<String> violations =
        violations("upstream:\n  url: ${UPSTREAM_URL}\n", Map.of("UPSTREAM_URL", "hunter2"));

    assertThat(violations)
        .containsExactly(
            "upstream.url: \"${UPSTREAM_URL}\" (resolved from the environment; value not shown)"
                + " (expected: an absolute http or https URL)");
    assertThat(String.join("\n", violations)).doesNotContain("hunter2");
  }

  @Test
  void redactsSubstitutedValuesInTheViewButHashesThem() {
    String yaml = "upstream:\n  url: http://127.0.0.1:8080/mcp?token=${TOKEN:-none}\n";
    ConfigResult.Valid one = valid(yaml, Map.of("TOKEN", "s3cret-1"));
    ConfigResult.Valid two = valid(yaml, Map.of("TOKEN", "s3cret-2"));

    @SuppressWarnings("unchecked")
    Map<String, Object> upstream = (Map<String, Object>) one.redacted().get("upstream");
    assertThat(upstream.get("url"))
        .isEqualTo("<redacted: http://127.0.0.1:8080/mcp?token=${TOKEN}>");
    assertThat(one.redactedJson()).doesNotContain("s3cret").doesNotContain("none");
    assertThat(one.config().upstream().url().getQuery()).isEqualTo("token=s3cret-1");
    assertThat(one.sha256()).isNotEqualTo(two.sha256());
  }
}
