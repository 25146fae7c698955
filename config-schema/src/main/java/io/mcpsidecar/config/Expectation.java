package io.mcpsidecar.config;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Turns a property's schema into the words an operator reads: what a value must look like ({@link
 * #of}), its kind ({@link #typeLabel}) and its limits ({@link #constraints}). Violations and the
 * generated configuration reference use the same words.
 */
final class Expectation {

  private Expectation() {}

  /** What must be written where this schema applies, e.g. "a port number between 0 and 65535". */
  static String of(JsonNode schema) {
    JsonNode expected = schema.get("x-expected");
    if (expected != null && expected.isString()) {
      return expected.stringValue();
    }
    JsonNode values = schema.get("enum");
    if (values != null && values.isArray()) {
      List<String> names = new ArrayList<>();
      values.forEach(v -> names.add(v.isString() ? v.stringValue() : v.toString()));
      return "one of " + String.join(", ", names);
    }
    String type = schema.path("type").asString("");
    return switch (type) {
      case "integer" -> range("an integer", schema);
      case "number" -> range("a number", schema);
      case "boolean" -> "true or false";
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "string" -> schema.path("minLength").asInt(0) > 0 ? "a non-empty string" : "a string";
      default -> "a valid value";
    };
  }

  private static String range(String noun, JsonNode schema) {
    JsonNode min = schema.get("minimum");
    JsonNode max = schema.get("maximum");
    if (min != null && max != null) {
      return noun + " between " + min + " and " + max;
    }
    if (min != null) {
      return noun + " of at least " + min;
    }
    if (max != null) {
      return noun + " of at most " + max;
    }
    return noun;
  }

  /** The kind of value, e.g. "integer", "duration", "list of origin". */
  static String typeLabel(ConfigSchema schemas, JsonNode schema) {
    String type = schema.path("type").asString("");
    if (type.equals("array") && schema.has("items")) {
      return "list of " + typeLabel(schemas, schemas.resolve(schema.get("items")));
    }
    JsonNode title = schema.get("title");
    if (title != null && title.isString()) {
      return title.stringValue();
    }
    return type.equals("object") ? "mapping" : type;
  }

  /** The limits on a value, in words; empty when there are none beyond its type. */
  static List<String> constraints(ConfigSchema schemas, JsonNode schema) {
    List<String> out = new ArrayList<>();
    JsonNode values = schema.get("enum");
    if (values != null && values.isArray()) {
      List<String> names = new ArrayList<>();
      values.forEach(v -> names.add("`" + (v.isString() ? v.stringValue() : v.toString()) + "`"));
      out.add("one of " + String.join(", ", names));
    }
    JsonNode min = schema.get("minimum");
    JsonNode max = schema.get("maximum");
    if (min != null && max != null) {
      out.add(min + " to " + max);
    } else if (min != null) {
      out.add(">= " + min);
    } else if (max != null) {
      out.add("<= " + max);
    }
    // A pattern or format means nothing to an operator: say in words what it accepts.
    JsonNode items = schema.has("items") ? schemas.resolve(schema.get("items")) : null;
    for (JsonNode s : items == null ? List.of(schema) : List.of(schema, items)) {
      if ((s.has("pattern") || s.has("format")) && s.has("x-expected")) {
        out.add(s.get("x-expected").stringValue());
      }
    }
    if (schema.path("uniqueItems").asBoolean(false)) {
      out.add("no duplicates");
    }
    if (schema.path("writeOnly").asBoolean(false)) {
      out.add("secret: redacted in `GET /config` and logs");
    }
    return out;
  }
}
