package io.mcpsidecar.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Rules that span several keys, which JSON Schema cannot say. Each has the id under which the
 * schema's {@code x-rules} documents it. They run on the defaulted tree, so that they are reported
 * together with schema violations; a rule skips values that already failed the schema.
 */
final class CrossFieldRules {

  /** The ids of the rules enforced here; a test keeps them equal to the schema's x-rules. */
  static final Set<String> IDS = Set.of("distinct-ports", "wildcard-origin-alone");

  private final JsonNode tree;
  private final Set<String> alreadyInvalid;
  private final Provenance provenance;
  private final List<Violation> out = new ArrayList<>();

  private CrossFieldRules(JsonNode tree, Set<String> alreadyInvalid, Provenance provenance) {
    this.tree = tree;
    this.alreadyInvalid = alreadyInvalid;
    this.provenance = provenance;
  }

  static List<Violation> check(JsonNode tree, Set<String> alreadyInvalid, Provenance provenance) {
    CrossFieldRules rules = new CrossFieldRules(tree, alreadyInvalid, provenance);
    rules.distinctPorts();
    rules.wildcardOriginAlone();
    return rules.out;
  }

  private void distinctPorts() {
    Optional<Long> listen = value("listen.port", n -> n.isIntegralNumber() ? n.asLong() : null);
    Optional<Long> admin = value("admin.port", n -> n.isIntegralNumber() ? n.asLong() : null);
    if (listen.isPresent() && admin.isPresent() && listen.get() != 0 && listen.equals(admin)) {
      report("admin.port", "a port different from listen.port (" + listen.get() + ")");
    }
  }

  private void wildcardOriginAlone() {
    Optional<JsonNode> origins = value("edge.allowedOrigins", n -> n.isArray() ? n : null);
    if (origins.isEmpty() || origins.get().size() < 2) {
      return;
    }
    for (JsonNode origin : origins.get()) {
      if (origin.isString() && origin.stringValue().equals("*")) {
        report("edge.allowedOrigins", "either [\"*\"] alone or a list of origins without \"*\"");
        return;
      }
    }
  }

  private <T> Optional<T> value(String dotted, Function<JsonNode, T> read) {
    if (alreadyInvalid.stream().anyMatch(p -> p.equals(dotted) || p.startsWith(dotted + "["))) {
      return Optional.empty();
    }
    JsonNode node = SchemaViolations.find(tree, ConfigPath.parse(dotted));
    return node.isMissingNode() ? Optional.empty() : Optional.ofNullable(read.apply(node));
  }

  private void report(String dotted, String expected) {
    ConfigPath path = ConfigPath.parse(dotted);
    out.add(
        new Violation(
            dotted, provenance.render(path, SchemaViolations.find(tree, path)), expected));
  }

  static Map<String, String> documented(ConfigSchema schema) {
    Map<String, String> rules = new java.util.LinkedHashMap<>();
    schema
        .root()
        .path("x-rules")
        .forEach(r -> rules.put(r.path("id").asString(), r.path("description").asString()));
    return rules;
  }
}
