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
  void masksPasswordsWrittenIntoUrls() {
    ConfigResult result =
        ConfigLoader.parse(
            "upstream:\n  url: http://127.0.0.1:8080/mcp\n"
                + "limits:\n  backend: redis\n  redis:\n    url: redis://default:s3cr3t@redis:6379/0\n");
    AgentConfig config = ((ConfigResult.Valid) result).config();

    Map<String, Object> view = Redaction.view(config, Map.of());

    @SuppressWarnings("unchecked")
    Map<String, Object> redis =
        (Map<String, Object>) ((Map<String, Object>) view.get("limits")).get("redis");
    assertThat(redis.get("url")).isEqualTo("redis://default:<redacted>@redis:6379/0");
    assertThat(view.toString()).doesNotContain("s3cr3t");
    assertThat(Redaction.withoutUrlCredentials("rediss://pw@h:6380"))
        .isEqualTo("rediss://<redacted>@h:6380");
    assertThat(Redaction.withoutUrlCredentials("http://h/a@b")).isEqualTo("http://h/a@b");
    assertThat(Redaction.withoutUrlCredentials("not a url: a:b@c")).isEqualTo("not a url: a:b@c");
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
