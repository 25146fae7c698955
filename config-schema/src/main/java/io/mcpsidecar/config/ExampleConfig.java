package io.mcpsidecar.config;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** Example configurations derived from the schema's {@code default}s and {@code examples}. */
final class ExampleConfig {

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();

  private ExampleConfig() {}

  /** Only the required keys, each with its first example. */
  static JsonNode minimal(ConfigSchema schema) {
    return build(schema, schema.root(), true);
  }

  /** Every key, with its default or, where there is none, its first example. */
  static JsonNode full(ConfigSchema schema) {
    return build(schema, schema.root(), false);
  }

  static String yaml(JsonNode tree) {
    return YAML.writeValueAsString(tree);
  }

  private static ObjectNode build(
      ConfigSchema schema, JsonNode objectSchema, boolean onlyRequired) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    JsonNode required = objectSchema.path("required");
    for (Map.Entry<String, JsonNode> p : schema.properties(objectSchema).entrySet()) {
      JsonNode s = p.getValue();
      boolean isRequired = false;
      for (JsonNode r : required) {
        isRequired |= r.asString().equals(p.getKey());
      }
      if (onlyRequired && !isRequired) {
        continue;
      }
      if (s.path("type").asString("").equals("object")) {
        out.set(p.getKey(), build(schema, s, onlyRequired));
      } else if (s.has("default")) {
        out.set(p.getKey(), s.get("default").deepCopy());
      } else if (s.has("examples") && s.get("examples").size() > 0) {
        out.set(p.getKey(), s.get("examples").get(0).deepCopy());
      }
    }
    return out;
  }
}
