package io.mcpsidecar.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The schema-driven half of loading, independent of the Java model: parse YAML (or JSON),
 * substitute environment variables, fill defaults, validate against the schema. Any schema works,
 * which lets tests exercise keywords the agent schema does not use yet.
 */
final class ConfigDocument {

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

  /**
   * A checked document.
   *
   * @param effective the tree with substitutions and defaults applied (may hold secrets)
   * @param provenance which values came from the environment or from defaults
   * @param violations everything wrong with it, at most one per path, in schema order
   */
  record Checked(JsonNode effective, Provenance provenance, List<Violation> violations) {}

  private ConfigDocument() {}

  static Checked check(String text, ConfigSchema schema, Map<String, String> env) {
    JsonNode tree;
    try {
      tree = YAML.readTree(text);
    } catch (JacksonException e) {
      return broken(e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = JsonNodeFactory.instance.objectNode();
    }
    Defaults.dropNulls(tree);
    EnvSubstitution.Outcome env2 = EnvSubstitution.apply(tree, env, schema);
    Set<ConfigPath> defaulted =
        tree instanceof ObjectNode object ? Defaults.fill(object, schema) : Set.of();
    Provenance provenance = new Provenance(env2.substituted(), defaulted);
    List<Violation> violations = new ArrayList<>(env2.violations());
    violations.addAll(new SchemaViolations(schema, tree, provenance).of(schema.validate(tree)));
    return new Checked(tree, provenance, onePerPath(violations));
  }

  /** Keeps the first violation per path: a failed substitution explains the schema's complaint. */
  static List<Violation> onePerPath(List<Violation> violations) {
    Map<String, Violation> first = new LinkedHashMap<>();
    violations.forEach(v -> first.putIfAbsent(v.path(), v));
    return List.copyOf(first.values());
  }

  /**
   * Sorts violations the way the operator reads the file: by where their path (or, for a missing
   * key, its nearest present parent) first appears. Stable, so ties keep schema order.
   */
  static List<Violation> inDocumentOrder(List<Violation> violations, JsonNode tree) {
    Map<ConfigPath, Integer> position = new HashMap<>();
    number(tree, ConfigPath.ROOT, position);
    List<Violation> sorted = new ArrayList<>(violations);
    sorted.sort(Comparator.comparingInt(v -> positionOf(v.path(), position)));
    return List.copyOf(sorted);
  }

  private static void number(JsonNode node, ConfigPath path, Map<ConfigPath, Integer> position) {
    position.put(path, position.size());
    if (node.isObject()) {
      node.properties().forEach(e -> number(e.getValue(), path.child(e.getKey()), position));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        number(node.get(i), path.index(i), position);
      }
    }
  }

  private static int positionOf(String dotted, Map<ConfigPath, Integer> position) {
    if (dotted.equals("$")) {
      return -1;
    }
    List<Object> segments = new ArrayList<>(ConfigPath.parse(dotted).segments());
    while (!segments.isEmpty()) {
      Integer at = position.get(new ConfigPath(segments));
      if (at != null) {
        return at;
      }
      segments.remove(segments.size() - 1);
    }
    return Integer.MAX_VALUE;
  }

  static Set<String> paths(List<Violation> violations) {
    Set<String> paths = new HashSet<>();
    violations.forEach(v -> paths.add(v.path()));
    return paths;
  }

  private static Checked broken(JacksonException e) {
    return new Checked(
        JsonNodeFactory.instance.objectNode(),
        new Provenance(Map.of(), Set.of()),
        List.of(YamlProblem.of(e)));
  }
}
