package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Every file under {@code config-schema/examples/} is a valid configuration. */
class ExamplesTest {

  static final Path EXAMPLES = Path.of(System.getProperty("basedir", "."), "examples");
  static final YAMLMapper YAML = new YAMLMapper();

  /**
   * What the Secret of kubernetes.yaml's comment (mcp-sidecar.io/env-from-secret) would set; the
   * rest use their defaults.
   */
  static final Map<String, String> POD_ENV = Map.of("APP_ORIGIN", "https://App.example.com");

  static Stream<String> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  /** The agent's config text: the file itself, or the config.yaml key of a ConfigMap. */
  static String configText(String name) throws IOException {
    String text = Files.readString(EXAMPLES.resolve(name));
    JsonNode doc = YAML.readTree(text);
    if (doc.path("kind").asString("").equals("ConfigMap")) {
      return doc.path("data").path("config.yaml").asString();
    }
    return text;
  }

  static ConfigResult.Valid load(String name) throws IOException {
    ConfigResult result = ConfigLoader.parse(configText(name), POD_ENV);
    assertThat(result).as(name).isInstanceOf(ConfigResult.Valid.class);
    return (ConfigResult.Valid) result;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void isValid(String name) throws IOException {
    load(name);
  }

  @Test
  void kubernetesExampleLoadsWithOnlyWhatTheInjectorSets() throws IOException {
    // the injector sets these on the agent container and accepts no other env there
    Map<String, String> injected =
        Map.of(
            "MCP_SIDECAR_UPSTREAM_PORT", "3000",
            "MCP_SIDECAR_LISTEN_PORT", "9000",
            "MCP_SIDECAR_ADMIN_PORT", "9901",
            "MCP_SIDECAR_LOG_LEVEL", "DEBUG",
            "MCP_SIDECAR_TRACING_ENABLED", "true");

    ConfigResult withInjected = ConfigLoader.parse(configText("kubernetes.yaml"), injected);
    ConfigResult withNothing = ConfigLoader.parse(configText("kubernetes.yaml"), Map.of());

    assertThat(withInjected).isInstanceOf(ConfigResult.Valid.class);
    assertThat(withNothing).isInstanceOf(ConfigResult.Valid.class);
    var config = ((ConfigResult.Valid) withInjected).config();
    assertThat(config.upstream().url().getPort()).isEqualTo(3000);
    assertThat(config.telemetry().tracing().enabled()).isTrue();
  }

  @Test
  void theExpectedExamplesExist() throws IOException {
    assertThat(examples()).contains("minimal.yaml", "full.yaml", "kubernetes.yaml");
  }

  @Test
  void fullExampleSetsEveryKeyOfTheSchema() throws IOException {
    List<String> schemaKeys = new ArrayList<>();
    leaves(ConfigSchema.agent().root(), ConfigPath.ROOT, schemaKeys);
    List<String> exampleKeys = new ArrayList<>();
    leaves(YAML.readTree(configText("full.yaml")), ConfigPath.ROOT, exampleKeys);

    assertThat(exampleKeys).containsExactlyInAnyOrderElementsOf(schemaKeys);
  }

  private static void leaves(JsonNode node, ConfigPath path, List<String> out) {
    boolean isSchema = node.has("properties") || node.has("type");
    if (isSchema && node.path("type").asString("").equals("object")) {
      ConfigSchema.agent().properties(node).forEach((k, v) -> leaves(v, path.child(k), out));
    } else if (!isSchema && node.isObject()) {
      node.properties().forEach(e -> leaves(e.getValue(), path.child(e.getKey()), out));
    } else {
      out.add(path.toString());
    }
  }

  @Test
  void fullExampleDiffersFromTheDefaultsSoItShowsEveryKeyAtWork() throws IOException {
    ConfigResult.Valid full = load("full.yaml");
    ConfigResult.Valid minimal = load("minimal.yaml");

    assertThat(full.sha256()).isNotEqualTo(minimal.sha256());
    assertThat(full.config().edge().allowedOrigins()).hasSize(2);
  }

  @Test
  void kubernetesExampleIsTheDefaultConfigMapAndResolvesThePodEnvironment() throws IOException {
    JsonNode configMap = YAML.readTree(Files.readString(EXAMPLES.resolve("kubernetes.yaml")));
    assertThat(configMap.path("apiVersion").asString()).isEqualTo("v1");
    assertThat(configMap.at("/metadata/name").asString()).isEqualTo("mcp-sidecar-config");

    ConfigResult.Valid valid = load("kubernetes.yaml");

    assertThat(valid.config().upstream().url()).hasToString("http://127.0.0.1:8080/mcp");
    assertThat(valid.config().edge().allowedOrigins()).containsExactly("https://app.example.com");
    assertThat(valid.redactedJson()).contains("<redacted: ${APP_ORIGIN}>");
  }
}
