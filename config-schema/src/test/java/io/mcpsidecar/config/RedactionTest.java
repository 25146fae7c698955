package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secrets, by schema ({@code writeOnly: true}) and by origin (the environment), against a schema
 * with secret keys, since the agent schema has none yet.
 */
class RedactionTest {

  static final ConfigSchema SCHEMA = ConfigSchema.fromResource("secrets-test.schema.json");

  /** How a future section would bind a secret key. */
  record Auth(String user, Secret token) {}

  static ConfigDocument.Checked check(String yaml, Map<String, String> env) {
    return ConfigDocument.check(yaml, SCHEMA, env);
  }

  @Test
  void masksKeysTheSchemaMarksWriteOnlyWhereverTheyAre() {
    ConfigDocument.Checked checked =
        check("name: demo\nauth: {token: t0k3n}\nkeys: [k1, k2]\n", Map.of());

    assertThat(checked.violations()).isEmpty();
    Map<String, Object> view = Redaction.view(checked.effective(), SCHEMA, Map.of());
    assertThat(view)
        .isEqualTo(
            Map.of(
                "name", "demo",
                "auth", Map.of("token", "<redacted>", "user", "agent"),
                "keys", List.of("<redacted>", "<redacted>")));
  }

  @Test
  void masksValuesFromTheEnvironmentByTheirTemplateWithoutDefaults() {
    ConfigDocument.Checked checked =
        check(
            "name: ${NAME:-fallback-name}\nauth: {token: \"${TOKEN}\"}\n",
            Map.of("TOKEN", "t0k3n"));

    Map<String, Object> view =
        Redaction.view(checked.effective(), SCHEMA, checked.provenance().substituted());
    assertThat(view.get("name")).isEqualTo("<redacted: ${NAME}>");
    assertThat(view.get("auth"))
        .isEqualTo(Map.of("token", "<redacted: ${TOKEN}>", "user", "agent"));
    assertThat(checked.effective().at("/auth/token").stringValue()).isEqualTo("t0k3n");
  }

  @Test
  void reportsAMissingSecretWithTheSchemasWords() {
    assertThat(check("auth: {user: me}\n", Map.of()).violations())
        .map(Violation::toString)
        .containsExactly(
            "auth.token: missing (expected: a non-empty string, best written as ${ENV_NAME}"
                + " (required))");
  }

  @Test
  void aBoundSecretNeverShowsInToString() {
    ConfigDocument.Checked checked = check("auth: {token: t0k3n}\n", Map.of());

    Auth auth = ConfigBinder.bind(checked.effective().get("auth"), Auth.class);

    assertThat(auth.token().reveal()).isEqualTo("t0k3n");
    assertThat(auth.toString()).doesNotContain("t0k3n").contains("<redacted>");
    assertThat(ConfigBinder.toTree(auth).get("token").stringValue())
        .as("the tree that is hashed holds the real value")
        .isEqualTo("t0k3n");
  }

  @Test
  void theAgentSchemaOffersASecretDefinitionForFutureKeys() {
    assertThat(ConfigSchema.agent().root().at("/$defs/secret/writeOnly").asBoolean()).isTrue();
  }
}
