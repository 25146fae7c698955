package io.mcpsidecar.config;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Turns the validator's errors into violations an operator can act on: the path as they write it,
 * the value as found and, instead of the validator's wording ("does not match the regex pattern
 * ..."), what the schema says belongs there.
 */
final class SchemaViolations {

  private final ConfigSchema schema;
  private final JsonNode document;
  private final Provenance provenance;

  SchemaViolations(ConfigSchema schema, JsonNode document, Provenance provenance) {
    this.schema = schema;
    this.document = document;
    this.provenance = provenance;
  }

  List<Violation> of(List<Error> errors) {
    List<Violation> out = new ArrayList<>();
    for (Error error : errors) {
      out.add(violation(error));
    }
    return out;
  }

  private Violation violation(Error error) {
    ConfigPath at = path(error.getInstanceLocation());
    String keyword = error.getKeyword() == null ? "" : error.getKeyword();
    switch (keyword) {
      case "additionalProperties", "unevaluatedProperties" -> {
        ConfigPath key = at.child(error.getProperty());
        return new Violation(key.toString(), value(key), unknownKey(at, error.getProperty()));
      }
      case "required" -> {
        ConfigPath key = at.child(error.getProperty());
        String expected = schema.at(key).map(Expectation::of).orElse("a value");
        return new Violation(key.toString(), "missing", expected + " (required)");
      }
      default -> {
        String expected = schema.at(at).map(Expectation::of).orElse(error.getMessage());
        return new Violation(at.toString(), value(at), expected + qualifier(keyword, error));
      }
    }
  }

  private static String qualifier(String keyword, Error error) {
    Object[] args = error.getArguments();
    Object limit = args != null && args.length > 0 ? args[0] : "?";
    return switch (keyword) {
      case "uniqueItems" -> ", without duplicates";
      case "minItems" -> ", with at least " + limit + " entries";
      case "maxItems" -> ", with at most " + limit + " entries";
      case "minProperties" -> ", with at least " + limit + " keys";
      case "maxProperties" -> ", with at most " + limit + " keys";
      default -> "";
    };
  }

  private String unknownKey(ConfigPath parent, String name) {
    List<String> allowed =
        schema.at(parent).map(s -> List.copyOf(schema.properties(s).keySet())).orElse(List.of());
    String hint = suggestion(name, allowed).map(s -> " (did you mean " + s + "?)").orElse("");
    return "no such key" + hint + "; allowed: " + String.join(", ", allowed);
  }

  /** A known key the unknown one is probably a typo of: same letters ignoring case, or close. */
  static Optional<String> suggestion(String name, List<String> allowed) {
    String lower = name.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : allowed) {
      int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int tolerated = Math.max(1, Math.min(3, name.length() / 4));
    return bestDistance <= tolerated ? Optional.of(best) : Optional.empty();
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private String value(ConfigPath path) {
    return provenance.render(path, find(document, path));
  }

  static JsonNode find(JsonNode root, ConfigPath path) {
    JsonNode node = root;
    for (Object segment : path.segments()) {
      node = segment instanceof Integer i ? node.path(i) : node.path((String) segment);
    }
    return node;
  }

  static ConfigPath path(NodePath location) {
    ConfigPath path = ConfigPath.ROOT;
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      path =
          element instanceof Number n ? path.index(n.intValue()) : path.child(element.toString());
    }
    return path;
  }
}
