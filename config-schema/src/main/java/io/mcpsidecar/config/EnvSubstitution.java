package io.mcpsidecar.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in string values with environment
 * variables, the way secrets kept in Kubernetes Secrets reach the config. {@code $${} writes a
 * literal {@code ${}. As in a shell, the default applies when the variable is unset or empty.
 *
 * <p>A value that is exactly one reference is converted to the type the schema asks for there
 * ({@code port: ${PORT}} becomes a number), since YAML cannot type it before substitution.
 */
final class EnvSubstitution {

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final Pattern WHOLE = Pattern.compile("^" + REFERENCE.pattern() + "$");
  private static final String SYNTAX =
      "${NAME} or ${NAME:-default}, NAME made of letters, digits and _ (write $${ for a literal ${)";

  private final Map<String, String> env;
  private final ConfigSchema schema;
  private final Map<ConfigPath, String> substituted = new HashMap<>();
  private final List<Violation> violations = new ArrayList<>();

  private EnvSubstitution(Map<String, String> env, ConfigSchema schema) {
    this.env = env;
    this.schema = schema;
  }

  record Outcome(Map<ConfigPath, String> substituted, List<Violation> violations) {}

  /** Substitutes in place throughout {@code tree}. */
  static Outcome apply(JsonNode tree, Map<String, String> env, ConfigSchema schema) {
    EnvSubstitution s = new EnvSubstitution(env, schema);
    s.walk(tree, ConfigPath.ROOT);
    return new Outcome(Map.copyOf(s.substituted), List.copyOf(s.violations));
  }

  private void walk(JsonNode node, ConfigPath path) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> e : List.copyOf(object.properties())) {
        ConfigPath at = path.child(e.getKey());
        if (e.getValue().isString()) {
          substitute(e.getValue().stringValue(), at).ifPresent(v -> object.set(e.getKey(), v));
        } else {
          walk(e.getValue(), at);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        ConfigPath at = path.index(i);
        if (array.get(i).isString()) {
          int index = i;
          substitute(array.get(i).stringValue(), at).ifPresent(v -> array.set(index, v));
        } else {
          walk(array.get(i), at);
        }
      }
    }
  }

  private Optional<JsonNode> substitute(String text, ConfigPath path) {
    if (!text.contains("${")) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    boolean referenced = false;
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
        continue;
      }
      if (!text.startsWith("${", i)) {
        out.append(text.charAt(i++));
        continue;
      }
      Matcher m = REFERENCE.matcher(text).region(i, text.length());
      if (!m.lookingAt()) {
        violations.add(new Violation(path.toString(), Provenance.quote(text), SYNTAX));
        return Optional.empty();
      }
      String value = env.get(m.group(1));
      if (value == null || value.isEmpty()) {
        value = m.group(2);
      }
      if (value == null) {
        violations.add(
            new Violation(
                path.toString(),
                Provenance.quote(text),
                "environment variable "
                    + m.group(1)
                    + " to be set (or a default: ${"
                    + m.group(1)
                    + ":-value})"));
        return Optional.empty();
      }
      out.append(value);
      referenced = true;
      i = m.end();
    }
    if (referenced) {
      substituted.put(path, text);
    }
    return Optional.of(typed(out.toString(), path, referenced && WHOLE.matcher(text).matches()));
  }

  private JsonNode typed(String value, ConfigPath path, boolean wholeReference) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (!wholeReference) {
      return nodes.stringNode(value);
    }
    String type = schema.at(path).map(s -> s.path("type").asString("")).orElse("");
    try {
      return switch (type) {
        case "integer" -> nodes.numberNode(Long.parseLong(value.trim()));
        case "number" -> nodes.numberNode(new java.math.BigDecimal(value.trim()));
        case "boolean" ->
            value.trim().equals("true") || value.trim().equals("false")
                ? nodes.booleanNode(Boolean.parseBoolean(value.trim()))
                : nodes.stringNode(value);
        default -> nodes.stringNode(value);
      };
    } catch (NumberFormatException e) {
      // Left a string: the schema then reports the wrong type at this path.
      return nodes.stringNode(value);
    }
  }
}
