package io.mcpsidecar.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The rule file, read as data: one {@link Rule} per recording or alerting rule. */
final class PrometheusRules {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A recording rule ({@code record} set) or an alerting rule ({@code alert} set). */
  record Rule(
      String group,
      String record,
      String alert,
      String expr,
      String forDuration,
      Map<String, String> labels,
      Map<String, String> annotations) {

    boolean isAlert() {
      return alert != null;
    }

    String name() {
      return isAlert() ? alert : record;
    }
  }

  private PrometheusRules() {}

  static List<Rule> load(Path file) {
    JsonNode root = read(file);
    List<Rule> rules = new ArrayList<>();
    for (JsonNode group : root.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        rules.add(
            new Rule(
                group.path("name").asText(),
                text(rule, "record"),
                text(rule, "alert"),
                rule.path("expr").asText(),
                text(rule, "for"),
                strings(rule.path("labels")),
                strings(rule.path("annotations"))));
      }
    }
    return rules;
  }

  /**
   * Writes each expression as a recording rule {@code <prefix>_<n>}, so that {@code promtool check
   * rules} parses queries that live elsewhere (dashboard, docs).
   */
  static void writeAsRecordingRules(Path file, String prefix, List<String> exprs) {
    ObjectNode root = YAML.createObjectNode();
    ArrayNode list = root.putArray("groups").addObject().put("name", prefix).putArray("rules");
    for (int i = 0; i < exprs.size(); i++) {
      list.addObject().put("record", prefix + ":query_" + (i + 1)).put("expr", exprs.get(i));
    }
    try {
      YAML.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The names of the series the recording rules produce. */
  static Set<String> recordedNames(List<Rule> rules) {
    return rules.stream()
        .filter(r -> !r.isAlert())
        .map(Rule::record)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static JsonNode read(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }
}
