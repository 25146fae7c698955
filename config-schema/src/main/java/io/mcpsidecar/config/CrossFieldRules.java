package io.mcpsidecar.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
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
  static final Set<String> IDS =
      Set.of(
          "distinct-ports",
          "wildcard-origin-alone",
          "jwt-complete",
          "trusted-header-sources",
          "bounded-clock-skew",
          "distinct-tenant-ids",
          "burst-at-least-limit",
          "known-time-zone",
          "valid-policy-conditions",
          "distinct-rule-ids");

  private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

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
    rules.jwtComplete();
    rules.trustedHeaderSources();
    rules.boundedClockSkew();
    rules.distinctTenantIds();
    rules.burstAtLeastLimit();
    rules.knownTimeZones();
    rules.policyRuleSets();
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

  private void jwtComplete() {
    if (!value("identity.jwt.enabled", JsonNode::asBoolean).orElse(false)) {
      return;
    }
    if (value("identity.jwt.jwksUrl", JsonNode::asString).orElse("x").isEmpty()) {
      report("identity.jwt.jwksUrl", "the JWKS URL of the identity provider (jwt is enabled)");
    }
    if (value("identity.jwt.issuer", JsonNode::asString).orElse("x").isEmpty()) {
      report("identity.jwt.issuer", "the issuer tokens carry (jwt is enabled)");
    }
    if (value("identity.jwt.audiences", JsonNode::size).orElse(1) == 0) {
      report("identity.jwt.audiences", "at least one accepted audience (jwt is enabled)");
    }
  }

  private void trustedHeaderSources() {
    if (value("identity.trustedHeader.enabled", JsonNode::asBoolean).orElse(false)
        && value("identity.trustedHeader.sourceCidrs", JsonNode::size).orElse(1) == 0) {
      report(
          "identity.trustedHeader.sourceCidrs",
          "at least one network the gateway connects from (the trusted header is enabled)");
    }
  }

  private void boundedClockSkew() {
    value("identity.jwt.clockSkew", n -> n.isString() ? n.stringValue() : null)
        .map(DurationText::parse)
        .filter(skew -> skew.compareTo(MAX_CLOCK_SKEW) > 0)
        .ifPresent(skew -> report("identity.jwt.clockSkew", "a duration of at most 5m"));
  }

  private void distinctTenantIds() {
    Optional<JsonNode> tenants = value("tenants", n -> n.isArray() ? n : null);
    Set<String> seen = new HashSet<>();
    for (int i = 0; tenants.isPresent() && i < tenants.get().size(); i++) {
      JsonNode id = tenants.get().get(i).path("id");
      if (id.isString() && !seen.add(id.stringValue())) {
        report("tenants[" + i + "].id", "a tenant id not used by an earlier entry");
      }
    }
  }

  private void burstAtLeastLimit() {
    burstOf("limits.requests");
    burstOf("limits.global");
    toolBursts("limits.tools");
    int tenants = value("tenants", n -> n.isArray() ? n.size() : null).orElse(0);
    for (int i = 0; i < tenants; i++) {
      burstOf("tenants[" + i + "].requests");
      toolBursts("tenants[" + i + "].tools");
    }
  }

  private void toolBursts(String dotted) {
    int rules = value(dotted, n -> n.isArray() ? n.size() : null).orElse(0);
    for (int i = 0; i < rules; i++) {
      burstOf(dotted + "[" + i + "]");
    }
  }

  private void burstOf(String rate) {
    Optional<Long> limit = value(rate + ".limit", n -> n.isIntegralNumber() ? n.asLong() : null);
    Optional<Long> burst = value(rate + ".burst", n -> n.isIntegralNumber() ? n.asLong() : null);
    if (limit.isPresent() && burst.isPresent() && burst.get() != 0 && burst.get() < limit.get()) {
      report(rate + ".burst", "0 or >= " + limit.get() + " (the limit)");
    }
  }

  private void knownTimeZones() {
    knownTimeZone("limits.quotas.timeZone");
    int tenants = value("tenants", n -> n.isArray() ? n.size() : null).orElse(0);
    for (int i = 0; i < tenants; i++) {
      knownTimeZone("tenants[" + i + "].quotas.timeZone");
    }
  }

  private void knownTimeZone(String dotted) {
    Optional<String> zone = value(dotted, n -> n.isString() ? n.stringValue() : null);
    if (zone.isPresent()) {
      try {
        ZoneId.of(zone.get());
      } catch (DateTimeException e) {
        report(dotted, "a time zone id such as UTC or Europe/Paris");
      }
    }
  }

  private void policyRuleSets() {
    policyRules("policy.rules");
    int tenants = size("tenants");
    for (int i = 0; i < tenants; i++) {
      policyRules("tenants[" + i + "].policy.rules");
    }
  }

  private void policyRules(String dotted) {
    int rules = size(dotted);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < rules; i++) {
      String rule = dotted + "[" + i + "]";
      value(rule + ".id", n -> n.isString() ? n.stringValue() : null)
          .filter(id -> !ids.add(id))
          .ifPresent(
              id -> report(rule + ".id", "a rule id not used by an earlier rule of the set"));
      value(rule + ".when", n -> n.isString() ? n.stringValue() : null)
          .filter(when -> !when.isBlank())
          .ifPresent(when -> validCondition(rule + ".when", when));
    }
  }

  private void validCondition(String dotted, String when) {
    try {
      PolicyConditions.compile(when);
    } catch (PolicyConditions.InvalidCondition e) {
      report(
          dotted,
          "a boolean CEL condition over "
              + String.join(", ", PolicyConditions.VARIABLES)
              + " ("
              + e.getMessage()
              + ")");
    }
  }

  // The items of a list are looked at one by one, even when another item failed the schema.
  private int size(String dotted) {
    JsonNode node = SchemaViolations.find(tree, ConfigPath.parse(dotted));
    return node.isArray() ? node.size() : 0;
  }

  private <T> Optional<T> value(String dotted, Function<JsonNode, T> read) {
    if (alreadyInvalid.stream()
        .anyMatch(
            p -> p.equals(dotted) || p.startsWith(dotted + "[") || p.startsWith(dotted + "."))) {
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
