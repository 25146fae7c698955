package io.mcpsidecar.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a YAML (or JSON) agent configuration and checks it against {@link ConfigSchema}: parse,
 * substitute {@code ${ENV}} references, apply the schema's defaults, validate, check the rules that
 * span keys, bind to {@link AgentConfig}. Every violation is reported at once.
 *
 * <p>Blocking (file I/O): call it from a worker thread, never from an event loop. Thread-safe.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /** Loads and validates the file, substituting from the process environment. */
  public static ConfigResult load(Path file) {
    return load(file, System.getenv());
  }

  /**
   * Loads and validates the file; a missing or unreadable file is a violation too.
   *
   * @param env the environment {@code ${NAME}} references resolve against
   */
  public static ConfigResult load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return invalid(file.toString(), "no such file", "an existing, readable config file");
    } catch (IOException e) {
      return invalid(
          file.toString(),
          "unreadable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
          "a readable UTF-8 config file");
    }
    return parse(text, env);
  }

  /** Parses and validates configuration text, substituting from the process environment. */
  public static ConfigResult parse(String text) {
    return parse(text, System.getenv());
  }

  /**
   * Parses and validates configuration text.
   *
   * @param env the environment {@code ${NAME}} references resolve against
   */
  public static ConfigResult parse(String text, Map<String, String> env) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(env, "env");
    ConfigDocument.Checked checked = ConfigDocument.check(text, ConfigSchema.agent(), env);
    List<Violation> violations = new ArrayList<>(checked.violations());
    if (violations.size() == 1 && violations.get(0).path().equals("$")) {
      return new ConfigResult.Invalid(violations);
    }
    HealthAlias.apply(checked.effective(), checked.provenance().defaulted());
    violations.addAll(
        CrossFieldRules.check(
            checked.effective(), ConfigDocument.paths(violations), checked.provenance()));
    violations = ConfigDocument.onePerPath(violations);
    if (!violations.isEmpty()) {
      return new ConfigResult.Invalid(
          ConfigDocument.inDocumentOrder(violations, checked.effective()));
    }
    TenantInheritance.apply(checked.effective());
    AgentConfig config;
    try {
      config = ConfigBinder.bind(checked.effective(), AgentConfig.class);
    } catch (JacksonException e) {
      return new ConfigResult.Invalid(List.of(bindingViolation(e, checked)));
    }
    return new ConfigResult.Valid(
        config,
        Redaction.view(config, checked.provenance().substituted()),
        Redaction.sha256(config));
  }

  // The schema should reject anything Java cannot hold; this is the safety net if it does not.
  private static Violation bindingViolation(JacksonException e, ConfigDocument.Checked checked) {
    ConfigPath path = ConfigPath.ROOT;
    for (JacksonException.Reference ref : e.getPath()) {
      path =
          ref.getPropertyName() != null
              ? path.child(ref.getPropertyName())
              : path.index(ref.getIndex());
    }
    JsonNode value = SchemaViolations.find(checked.effective(), path);
    String expected =
        ConfigSchema.agent().at(path).map(Expectation::of).orElse(e.getOriginalMessage());
    return new Violation(path.toString(), checked.provenance().render(path, value), expected);
  }

  private static ConfigResult invalid(String path, String value, String expected) {
    return new ConfigResult.Invalid(List.of(new Violation(path, value, expected)));
  }
}
