package io.mcpsidecar.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The shareable view of an effective configuration: every value the schema marks {@code writeOnly},
 * every value that came from the environment and every password written into a URL ({@code
 * redis://:pw@host}) is masked. Also the SHA-256 of the effective configuration, so an operator can
 * tell which config a pod runs.
 */
final class Redaction {

  static final String REDACTED = "<redacted>";
  private static final Pattern URL_USERINFO =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@]*)@");
  private static final Pattern DEFAULTS = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*):-[^}]*}");

  private Redaction() {}

  /** The redacted view of a bound configuration. */
  static Map<String, Object> view(AgentConfig config, Map<ConfigPath, String> substituted) {
    return view(ConfigBinder.toTree(config), ConfigSchema.agent(), substituted);
  }

  /** The hash of a bound configuration. */
  static String sha256(AgentConfig config) {
    return sha256(ConfigBinder.toTree(config));
  }

  /**
   * The redacted view as plain, unmodifiable maps, lists, strings, numbers and booleans.
   *
   * @param substituted paths whose value came from the environment, with their template
   */
  static Map<String, Object> view(
      JsonNode effective, ConfigSchema schema, Map<ConfigPath, String> substituted) {
    Object view = convert(effective, ConfigPath.ROOT, schema, substituted);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = view instanceof Map<?, ?> ? (Map<String, Object>) view : Map.of();
    return map;
  }

  private static Object convert(
      JsonNode node, ConfigPath path, ConfigSchema schema, Map<ConfigPath, String> substituted) {
    String template = substituted.get(path);
    if (template != null) {
      // The template names the variable, never its value; defaults may hold secrets too.
      return "<redacted: " + DEFAULTS.matcher(template).replaceAll("\\${$1}") + ">";
    }
    Optional<JsonNode> nodeSchema = path.isRoot() ? Optional.empty() : schema.at(path);
    if (nodeSchema.map(s -> s.path("writeOnly").asBoolean(false)).orElse(false)) {
      return REDACTED;
    }
    if (node.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        out.put(e.getKey(), convert(e.getValue(), path.child(e.getKey()), schema, substituted));
      }
      return Collections.unmodifiableMap(out);
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        out.add(convert(node.get(i), path.index(i), schema, substituted));
      }
      return Collections.unmodifiableList(out);
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToInt() ? (Object) node.intValue() : (Object) node.longValue();
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.isNull() ? null : withoutUrlCredentials(node.asString());
  }

  /**
   * {@code value} with the password of a URL's userinfo masked ({@code redis://u:pw@h} becomes
   * {@code redis://u:<redacted>@h}); a userinfo without a colon is masked whole, since Redis reads
   * {@code redis://pw@h} as a password. Any other string is returned as it is.
   */
  static String withoutUrlCredentials(String value) {
    Matcher m = URL_USERINFO.matcher(value);
    if (!m.find()) {
      return value;
    }
    String userinfo = m.group(2);
    int colon = userinfo.indexOf(':');
    String masked = colon < 0 ? REDACTED : userinfo.substring(0, colon + 1) + REDACTED;
    return m.group(1) + masked + "@" + value.substring(m.end());
  }

  /** SHA-256 (hex) of the canonical JSON of {@code effective}: keys sorted, no whitespace. */
  static String sha256(JsonNode effective) {
    String canonical = ConfigBinder.mapper().writeValueAsString(sorted(effective));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static Object sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> out = new TreeMap<>();
      node.properties().forEach(e -> out.put(e.getKey(), sorted(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>();
      node.forEach(item -> out.add(sorted(item)));
      return out;
    }
    return node;
  }
}
