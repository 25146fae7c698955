package io.mcpsidecar.config;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills in the schema's {@code default}s wherever a key is absent, so that the schema, not Java
 * code, says what an unset key means. A section is created only where the schema gives it a default
 * (usually {@code {}}), so a future optional section can stay absent.
 */
final class Defaults {

  private Defaults() {}

  /** Fills {@code tree} in place and returns the paths that were filled. */
  static Set<ConfigPath> fill(ObjectNode tree, ConfigSchema schema) {
    Set<ConfigPath> filled = new HashSet<>();
    fill(tree, schema.root(), ConfigPath.ROOT, schema, filled);
    return filled;
  }

  private static void fill(
      JsonNode node,
      JsonNode nodeSchema,
      ConfigPath path,
      ConfigSchema schema,
      Set<ConfigPath> out) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> p : schema.properties(nodeSchema).entrySet()) {
        ConfigPath at = path.child(p.getKey());
        JsonNode fallback = p.getValue().get("default");
        if (!object.has(p.getKey()) && fallback != null) {
          object.set(p.getKey(), fallback.deepCopy());
          out.add(at);
        }
        JsonNode child = object.get(p.getKey());
        if (child != null) {
          fill(child, p.getValue(), at, schema, out);
        }
      }
    } else if (node instanceof ArrayNode array && nodeSchema.has("items")) {
      JsonNode items = schema.resolve(nodeSchema.get("items"));
      for (int i = 0; i < array.size(); i++) {
        fill(array.get(i), items, path.index(i), schema, out);
      }
    }
  }

  /** Removes {@code key: null} (an empty YAML key) everywhere: it means "not set". */
  static void dropNulls(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> nulls =
          object.properties().stream()
              .filter(e -> e.getValue().isNull())
              .map(Map.Entry::getKey)
              .toList();
      object.remove(nulls);
    }
    if (node != null && node.isContainer()) {
      node.forEach(Defaults::dropNulls);
    }
  }
}
