package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} is generated from the schema and must not go stale. To regenerate:
 * {@code ./mvnw -q -pl config-schema compile exec:java}, or run this test with {@code
 * -Dconfig.docs.regenerate=true}.
 */
class ConfigReferenceDocTest {

  static final Path DOC =
      Path.of(System.getProperty("basedir", "."), "..", "docs", "configuration.md").normalize();

  @Test
  void committedReferenceIsWhatTheSchemaGenerates() throws IOException {
    String generated = ConfigReferenceGenerator.render();
    if (Boolean.getBoolean("config.docs.regenerate")) {
      Files.createDirectories(DOC.getParent());
      Files.writeString(DOC, generated);
    }

    assertThat(DOC).exists();
    assertThat(Files.readString(DOC))
        .as(
            "%s is stale; regenerate it with `%s` (or run this test with"
                + " -Dconfig.docs.regenerate=true) and commit the result",
            DOC, ConfigReferenceGenerator.REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void listsEveryKeyWithItsDefault() {
    String doc = ConfigReferenceGenerator.render();

    assertThat(doc)
        .contains("| `listen.port` | port | `9000` | 0 to 65535; restart required |")
        .contains("| `upstream.url` | URL | — | **required**; an absolute http or https URL |")
        .contains("| `edge.maxBodyBytes` | integer | `4194304` | 1024 to 1073741824 |")
        .contains("| `upstream.connectTimeout` | duration | `2s` |")
        .contains("| `logging.level` | string | `INFO` | one of `TRACE`, `DEBUG`,");
    assertLeavesListed(doc, "", ConfigSchema.agent().root());
  }

  /** Every leaf key, at any depth, has its own row. */
  private static void assertLeavesListed(
      String doc, String prefix, tools.jackson.databind.JsonNode schema) {
    ConfigSchema.agent()
        .properties(schema)
        .forEach(
            (key, child) -> {
              String path = prefix.isEmpty() ? key : prefix + "." + key;
              if (ConfigSchema.agent().properties(child).isEmpty()) {
                assertThat(doc).contains("| `" + path + "` |");
              } else {
                assertLeavesListed(doc, path, child);
              }
            });
  }

  @Test
  void endsWithTheSettingsThatNeedARestart() {
    String doc = ConfigReferenceGenerator.render();
    String last = doc.substring(doc.lastIndexOf("\n## "));

    assertThat(last).startsWith("\n## Settings that need a restart");
    ConfigSchema.agent()
        .restartRequiredPaths()
        .forEach(p -> assertThat(last).contains("`" + p + "`"));
  }

  @Test
  void itsExamplesAreValidConfigs() {
    String doc = ConfigReferenceGenerator.render();
    int from = 0;
    int blocks = 0;
    while ((from = doc.indexOf("```yaml\n", from)) >= 0) {
      int end = doc.indexOf("```\n", from + 8);
      String yaml = doc.substring(from + 8, end);
      assertThat(ConfigLoader.parse(yaml, java.util.Map.of()))
          .as(yaml)
          .isInstanceOf(ConfigResult.Valid.class);
      from = end;
      blocks++;
    }
    assertThat(blocks).isEqualTo(2);
  }
}
