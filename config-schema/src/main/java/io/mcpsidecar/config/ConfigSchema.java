package io.mcpsidecar.config;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schema (draft 2020-12) of the agent configuration: the contract that validation,
 * defaults, redaction, restart rules and the configuration reference are all derived from.
 *
 * <p>Besides standard keywords the schema carries a few annotations of its own:
 *
 * <ul>
 *   <li>{@code x-expected}: what an operator must write there, in words, used in violations;
 *   <li>{@code x-restart-required: true}: the setting is read once at start-up, a live reload
 *       cannot change it;
 *   <li>{@code writeOnly: true}: the value is a secret and is redacted wherever the config is
 *       shown;
 *   <li>{@code x-rules} (root): rules that span several keys, enforced in Java, listed here so the
 *       reference documents them.
 * </ul>
 *
 * Thread-safe and immutable once loaded.
 */
public final class ConfigSchema {

  static final String RESOURCE = "agent-config.schema.json";

  /** The schema's own annotations: known to the validator, so it neither checks nor warns. */
  static final List<String> ANNOTATIONS = List.of("x-expected", "x-restart-required", "x-rules");

  /** Draft 2020-12 plus {@link #ANNOTATIONS}. */
  static final Dialect DIALECT = dialect();

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ConfigSchema AGENT = fromResource(RESOURCE);

  private final String text;
  private final JsonNode root;
  private final Schema validator;

  private ConfigSchema(String text) {
    this.text = text;
    this.root = JSON.readTree(text);
    this.validator = SchemaRegistry.withDefaultDialect(DIALECT).getSchema(text, InputFormat.JSON);
    validator.initializeValidators();
  }

  private static Dialect dialect() {
    Dialect.Builder builder = Dialect.builder(Dialects.getDraft202012());
    ANNOTATIONS.forEach(name -> builder.keyword(new NonValidationKeyword(name)));
    return builder.build();
  }

  /** The schema of the agent configuration, as shipped in this jar. */
  public static ConfigSchema agent() {
    return AGENT;
  }

  /** Loads a schema from this package's resources; tests use their own schemas this way. */
  static ConfigSchema fromResource(String name) {
    try (InputStream in = ConfigSchema.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("schema resource not found: " + name);
      }
      return new ConfigSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema document itself, e.g. to publish it for editors. */
  public String text() {
    return text;
  }

  /**
   * Every setting marked {@code x-restart-required}, as dotted paths ({@code listen.port}); a live
   * reload that changes one of them keeps the old value until the agent restarts.
   */
  public List<String> restartRequiredPaths() {
    List<String> paths = new ArrayList<>();
    collectRestartRequired(root(), ConfigPath.ROOT, paths);
    return List.copyOf(paths);
  }

  private void collectRestartRequired(JsonNode schema, ConfigPath at, List<String> out) {
    JsonNode resolved = resolve(schema);
    if (resolved.path("x-restart-required").asBoolean(false)) {
      out.add(at.toString());
    }
    for (Map.Entry<String, JsonNode> p : properties(resolved).entrySet()) {
      collectRestartRequired(p.getValue(), at.child(p.getKey()), out);
    }
  }

  JsonNode root() {
    return resolve(root);
  }

  List<Error> validate(JsonNode instance) {
    // Formats (uri) are assertions here, not mere annotations: a URL that is no URI is an error.
    return validator.validate(
        instance, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
  }

  /**
   * The schema of the value at {@code path} with local {@code $ref}s resolved and the referring
   * schema's own keywords (description, default, ...) laid over the target's.
   */
  Optional<JsonNode> at(ConfigPath path) {
    JsonNode current = root();
    for (Object segment : path.segments()) {
      JsonNode next;
      if (segment instanceof Integer) {
        next = current.get("items");
      } else {
        next = current.path("properties").get((String) segment);
        if (next == null && current.path("additionalProperties").isObject()) {
          next = current.get("additionalProperties");
        }
      }
      if (next == null || !next.isObject()) {
        return Optional.empty();
      }
      current = resolve(next);
    }
    return Optional.of(current);
  }

  /** The declared properties of an object schema, in schema order, each resolved. */
  Map<String, JsonNode> properties(JsonNode objectSchema) {
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    JsonNode props = resolve(objectSchema).path("properties");
    for (Map.Entry<String, JsonNode> p : props.properties()) {
      out.put(p.getKey(), resolve(p.getValue()));
    }
    return out;
  }

  JsonNode resolve(JsonNode schema) {
    JsonNode ref = schema.get("$ref");
    if (ref == null || !ref.isString() || !ref.stringValue().startsWith("#")) {
      return schema;
    }
    JsonNode target = root.at(ref.stringValue().substring(1));
    if (target.isMissingNode()) {
      throw new IllegalStateException("unresolvable $ref in schema: " + ref.stringValue());
    }
    ObjectNode merged = resolve(target).deepCopy().asObject();
    for (Map.Entry<String, JsonNode> own : schema.properties()) {
      if (!own.getKey().equals("$ref")) {
        merged.set(own.getKey(), own.getValue());
      }
    }
    return merged;
  }
}
