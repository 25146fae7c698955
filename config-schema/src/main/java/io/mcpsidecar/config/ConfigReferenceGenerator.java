package io.mcpsidecar.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Writes {@code docs/configuration.md}, the configuration reference, from the schema: every key
 * with its type, default, allowed values and description, examples, the rules that span keys and
 * the settings that need a restart. A test fails when the committed file differs from what this
 * produces.
 *
 * <p>Run: {@code ./mvnw -q -pl config-schema compile exec:java} (writes {@code
 * docs/configuration.md}), or {@code java ... ConfigReferenceGenerator OUTPUT_FILE}.
 */
public final class ConfigReferenceGenerator {

  static final String REGENERATE = "./mvnw -q -pl config-schema compile exec:java";

  private final ConfigSchema schema;
  private final StringBuilder out = new StringBuilder();

  private ConfigReferenceGenerator(ConfigSchema schema) {
    this.schema = schema;
  }

  /** Writes the reference to {@code args[0]} (default {@code docs/configuration.md}). */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
    if (target.getParent() != null) {
      Files.createDirectories(target.getParent());
    }
    Files.writeString(target, render(), StandardCharsets.UTF_8);
  }

  /** The reference for the agent schema, as Markdown. */
  public static String render() {
    return new ConfigReferenceGenerator(ConfigSchema.agent()).document();
  }

  private String document() {
    JsonNode root = schema.root();
    line("<!-- Generated from " + schemaSource() + " by ConfigReferenceGenerator.");
    line("     Do not edit: change the schema and run `" + REGENERATE + "`. -->");
    line("");
    line("# Configuration reference");
    line("");
    line(root.path("description").asString());
    line("");
    ReferenceProse.intro(out);
    line("## Minimal example");
    line("");
    yaml(ExampleConfig.minimal(schema));
    line("## Every key with its default");
    line("");
    yaml(ExampleConfig.full(schema));
    line("## Reference");
    line("");
    line("Keys are written as paths: `edge.maxBodyBytes` is the key `maxBodyBytes` inside the");
    line("mapping `edge`. Unknown keys are rejected, so a typo never goes unnoticed.");
    line("");
    section(root, ConfigPath.ROOT);
    rules();
    restart();
    return out.toString();
  }

  private static String schemaSource() {
    return "config-schema/src/main/resources/io/mcpsidecar/config/" + ConfigSchema.RESOURCE;
  }

  private void section(JsonNode objectSchema, ConfigPath path) {
    List<String[]> rows = new ArrayList<>();
    List<Map.Entry<ConfigPath, JsonNode>> nested = new ArrayList<>();
    List<String> requiredHere = names(objectSchema.path("required"));
    for (Map.Entry<String, JsonNode> p : schema.properties(objectSchema).entrySet()) {
      ConfigPath at = path.child(p.getKey());
      JsonNode s = p.getValue();
      JsonNode items = s.has("items") ? schema.resolve(s.get("items")) : null;
      if (s.path("type").asString("").equals("object")) {
        nested.add(Map.entry(at, s));
      } else if (items != null && items.path("type").asString("").equals("object")) {
        rows.add(row(at, s, requiredHere.contains(p.getKey())));
        nested.add(Map.entry(at.child("[]"), items));
      } else {
        rows.add(row(at, s, requiredHere.contains(p.getKey())));
      }
    }
    if (!rows.isEmpty()) {
      line("| Key | Type | Default | Allowed values | Description |");
      line("|---|---|---|---|---|");
      rows.forEach(r -> line("| " + String.join(" | ", r) + " |"));
      line("");
    }
    for (Map.Entry<ConfigPath, JsonNode> n : nested) {
      String heading = "#".repeat(Math.min(6, 2 + n.getKey().segments().size()));
      line(heading + " `" + n.getKey().toString().replace(".[]", "[]") + "`");
      line("");
      if (n.getValue().has("description")) {
        line(n.getValue().get("description").asString());
        line("");
      }
      section(n.getValue(), n.getKey());
    }
  }

  private String[] row(ConfigPath path, JsonNode s, boolean required) {
    List<String> allowed = new ArrayList<>();
    if (required) {
      allowed.add("**required**");
    }
    allowed.addAll(Expectation.constraints(schema, s));
    if (s.path("x-restart-required").asBoolean(false)) {
      allowed.add("restart required");
    }
    String example =
        s.has("examples") && s.get("examples").size() > 0
            ? " Example: `" + scalar(s.get("examples").get(0)) + "`."
            : "";
    return new String[] {
      "`" + path.toString().replace(".[]", "[]") + "`",
      Expectation.typeLabel(schema, s),
      s.has("default") ? "`" + scalar(s.get("default")) + "`" : "—",
      cell(String.join("; ", allowed)),
      cell(s.path("description").asString("") + example)
    };
  }

  private void rules() {
    Map<String, String> rules = CrossFieldRules.documented(schema);
    if (rules.isEmpty()) {
      return;
    }
    line("## Rules that span keys");
    line("");
    line("Checked after the keys themselves, and reported together with every other problem.");
    line("");
    rules.values().forEach(r -> line("- " + r));
    line("");
  }

  private void restart() {
    line("## Settings that need a restart");
    line("");
    line("The agent reloads its ConfigMap live, but these settings are read once at start-up: a");
    line("reload that changes one of them is reported, and the new value takes effect only when");
    line("the pod restarts (for example `kubectl rollout restart`). Marked `x-restart-required`");
    line("in the schema.");
    line("");
    schema.restartRequiredPaths().forEach(p -> line("- `" + p + "`"));
  }

  private void yaml(JsonNode tree) {
    line("```yaml");
    out.append(ExampleConfig.yaml(tree));
    line("```");
    line("");
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.asString()));
    return names;
  }

  private static String scalar(JsonNode value) {
    return value.isString() ? value.stringValue() : value.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
