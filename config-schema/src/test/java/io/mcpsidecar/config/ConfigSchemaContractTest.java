package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The schema is the contract: well-formed, complete, and what the Java side derives from. */
class ConfigSchemaContractTest {

  static final ConfigSchema SCHEMA = ConfigSchema.agent();

  @Test
  void isAValidDraft202012Schema() {
    var metaSchema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    assertThat(metaSchema.validate(JsonMapper.shared().readTree(SCHEMA.text()))).isEmpty();
    assertThat(metaSchema.validate(JsonMapper.shared().readTree("{\"type\": 5}")))
        .as("the meta-schema check is not vacuous")
        .isNotEmpty();
    assertThat(SCHEMA.root().path("$schema").asString())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  /**
   * Every {@code x-} annotation the schema uses is registered with the validator's dialect, which
   * otherwise warns about an unknown keyword on every agent start.
   */
  @Test
  void everyAnnotationOfTheSchemaIsAKeywordOfItsDialect() {
    java.util.Set<String> used = new java.util.TreeSet<>();
    collectAnnotations(SCHEMA.root(), used);

    assertThat(used).isNotEmpty();
    assertThat(ConfigSchema.DIALECT.getKeywords().keySet()).containsAll(used);
    assertThat(ConfigSchema.ANNOTATIONS).containsExactlyInAnyOrderElementsOf(used);
  }

  private static void collectAnnotations(JsonNode node, java.util.Set<String> into) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getKey().startsWith("x-")) {
          into.add(field.getKey());
        }
        collectAnnotations(field.getValue(), into);
      }
    } else if (node.isArray()) {
      node.forEach(child -> collectAnnotations(child, into));
    }
  }

  @Test
  void everyKeyHasADescriptionAndATypeAndEveryMappingIsClosed() {
    List<String> problems = new ArrayList<>();
    walk(SCHEMA.root(), ConfigPath.ROOT, problems);
    assertThat(problems).isEmpty();
  }

  private static void walk(JsonNode schema, ConfigPath path, List<String> problems) {
    if (!path.isRoot() && schema.path("description").asString("").isBlank()) {
      problems.add(path + ": no description");
    }
    if (!schema.has("type")) {
      problems.add(path + ": no type");
    }
    if (schema.path("type").asString("").equals("object")) {
      if (!schema.path("additionalProperties").isBoolean()
          || schema.path("additionalProperties").asBoolean()) {
        problems.add(path + ": additionalProperties is not false");
      }
      SCHEMA.properties(schema).forEach((name, child) -> walk(child, path.child(name), problems));
    }
  }

  @Test
  void javaConstantsAreTheSchemaDefaults() {
    assertThat(defaultAt("listen.port").asInt()).isEqualTo(ListenConfig.DEFAULT_PORT);
    assertThat(defaultAt("listen.host").asString()).isEqualTo(ListenConfig.DEFAULT_HOST);
    assertThat(defaultAt("admin.port").asInt()).isEqualTo(AdminConfig.DEFAULT_PORT);
    assertThat(defaultAt("admin.host").asString()).isEqualTo(AdminConfig.DEFAULT_HOST);
  }

  private static JsonNode defaultAt(String path) {
    return SCHEMA.at(ConfigPath.parse(path)).orElseThrow().get("default");
  }

  @Test
  void recordsHaveExactlyTheSchemasKeysInItsOrder() {
    assertMirrors(AgentConfig.class, SCHEMA.root(), "$");
  }

  private static void assertMirrors(Class<?> type, JsonNode schema, String where) {
    Map<String, JsonNode> properties = SCHEMA.properties(schema);
    RecordComponent[] components = type.getRecordComponents();
    assertThat(Arrays.stream(components).map(ConfigSchemaContractTest::key).toList())
        .as("components of %s vs properties of %s", type.getSimpleName(), where)
        .containsExactlyElementsOf(properties.keySet());
    for (RecordComponent c : components) {
      if (c.getType().isRecord()) {
        assertMirrors(c.getType(), properties.get(key(c)), key(c));
      }
    }
  }

  /** The key a component binds to: its name, or the name its @JsonProperty gives. */
  private static String key(RecordComponent c) {
    com.fasterxml.jackson.annotation.JsonProperty named =
        c.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
    return named == null || named.value().isEmpty() ? c.getName() : named.value();
  }

  @Test
  void theExampleBuiltFromEveryDefaultIsValid() {
    String yaml = ExampleConfig.yaml(ExampleConfig.full(SCHEMA));
    assertThat(ConfigLoader.parse(yaml, Map.of())).isInstanceOf(ConfigResult.Valid.class);
  }

  /** A closed set of values is an enum on the Java side, spelled exactly as the schema lists it. */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource({
    "limits.backend, io.mcpsidecar.config.LimitsConfig$Backend",
    "limits.failMode, io.mcpsidecar.config.LimitsConfig$FailMode",
    "telemetry.tracing.protocol, io.mcpsidecar.config.TracingConfig$Protocol",
    "logging.level, io.mcpsidecar.config.LoggingConfig$Level",
    "policy.mode, io.mcpsidecar.config.PolicyConfig$Mode",
    "policy.rules[0].effect, io.mcpsidecar.config.PolicyConfig$Effect",
    "policy.approvals.store, io.mcpsidecar.config.ApprovalsConfig$Store"
  })
  void closedSetsAreEnumsSpelledAsTheSchemaListsThem(String path, Class<?> type) {
    List<String> listed = new ArrayList<>();
    SCHEMA
        .at(ConfigPath.parse(path))
        .orElseThrow()
        .path("enum")
        .forEach(v -> listed.add(v.asString()));

    assertThat(type.isEnum()).isTrue();
    assertThat(Arrays.stream(type.getEnumConstants()).map(c -> ((Spelled) c).spelling()))
        .containsExactlyElementsOf(listed);
  }

  @Test
  void namesTheSettingsThatNeedARestart() {
    assertThat(SCHEMA.restartRequiredPaths())
        .containsExactly(
            "listen.host",
            "listen.port",
            "listen.headerTimeout",
            "listen.bodyTimeout",
            "listen.minBodyRate",
            "listen.idleTimeout",
            "listen.maxBufferedBytes",
            "listen.maxConnections",
            "listen.instances",
            "admin.host",
            "admin.port",
            "upstream.maxConnections",
            "upstream.streamConnections",
            "edge.maxHeaderBytes",
            "telemetry.tracing.enabled",
            "telemetry.tracing.endpoint",
            "telemetry.tracing.protocol",
            "telemetry.tracing.samplingRatio",
            "telemetry.tracing.serviceName",
            "telemetry.tracing.exportTimeout",
            "telemetry.tracing.maxQueueSize",
            "telemetry.tracing.propagateInMeta",
            "limits.backend",
            "limits.redis.url",
            "limits.redis.tls",
            "limits.redis.password",
            "limits.redis.keyPrefix");
  }

  @Test
  void everyRuleThatSpansKeysIsDocumentedInTheSchemaAndEnforced() {
    assertThat(CrossFieldRules.documented(SCHEMA).keySet())
        .containsExactlyInAnyOrderElementsOf(CrossFieldRules.IDS);
    SCHEMA
        .root()
        .path("x-rules")
        .forEach(
            rule ->
                rule.path("paths")
                    .forEach(
                        p ->
                            assertThat(SCHEMA.at(ConfigPath.parse(p.asString())))
                                .as("x-rules path %s", p)
                                .isPresent()));
  }

  @Test
  void pathsRenderAsOperatorsWriteThem() {
    ConfigPath path = ConfigPath.ROOT.child("edge").child("allowedOrigins").index(1);
    assertThat(path).hasToString("edge.allowedOrigins[1]");
    assertThat(ConfigPath.parse("edge.allowedOrigins[1]")).isEqualTo(path);
    assertThat(ConfigPath.ROOT).hasToString("$");
  }
}
