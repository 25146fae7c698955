package io.mcpsidecar.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads typed values out of a config tree, recording a violation instead of failing. */
final class ConfigReader {

  private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)$");
  private final List<Violation> violations = new ArrayList<>();

  List<Violation> violations() {
    return violations;
  }

  void report(String path, String value, String expected) {
    violations.add(new Violation(path, value, expected));
  }

  JsonNode object(JsonNode parent, String name) {
    JsonNode node = parent.path(name);
    if (node.isMissingNode() || node.isNull()) {
      return MissingNode.getInstance();
    }
    if (!node.isObject()) {
      report(name, render(node), "a mapping");
      return MissingNode.getInstance();
    }
    return node;
  }

  void allowOnly(JsonNode node, String prefix, Set<String> names) {
    if (!node.isObject()) {
      if (prefix.isEmpty() && !node.isMissingNode()) {
        report("$", render(node), "a mapping");
      }
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!names.contains(name)) {
        String path = prefix.isEmpty() ? name : prefix + "." + name;
        report(
            path,
            render(node.get(name)),
            "no such key; allowed: " + String.join(", ", names.stream().sorted().toList()));
      }
    }
  }

  String string(JsonNode parent, String path, String fallback) {
    JsonNode node = leaf(parent, path);
    if (node.isMissingNode()) {
      return fallback;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      report(path, render(node), "a non-empty string");
      return fallback;
    }
    return node.asText();
  }

  int integer(JsonNode parent, String path, int fallback, int min, int max) {
    return (int) longInteger(parent, path, fallback, min, max);
  }

  long longInteger(JsonNode parent, String path, long fallback, long min, long max) {
    JsonNode node = leaf(parent, path);
    if (node.isMissingNode()) {
      return fallback;
    }
    if (!node.isIntegralNumber()) {
      report(path, render(node), "an integer between " + min + " and " + max);
      return fallback;
    }
    long value = node.asLong();
    if (value < min || value > max) {
      report(path, render(node), "an integer between " + min + " and " + max);
      return fallback;
    }
    return value;
  }

  boolean bool(JsonNode parent, String path, boolean fallback) {
    JsonNode node = leaf(parent, path);
    if (node.isMissingNode()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      report(path, render(node), "true or false");
      return fallback;
    }
    return node.asBoolean();
  }

  String oneOf(JsonNode parent, String path, String fallback, List<String> allowed) {
    String value = string(parent, path, fallback);
    String upper = value.toUpperCase(Locale.ROOT);
    if (!allowed.contains(upper)) {
      report(path, render(leaf(parent, path)), "one of " + String.join(", ", allowed));
      return fallback;
    }
    return upper;
  }

  Duration duration(JsonNode parent, String path, Duration fallback) {
    JsonNode node = leaf(parent, path);
    if (node.isMissingNode()) {
      return fallback;
    }
    Matcher m = node.isTextual() ? DURATION.matcher(node.asText()) : null;
    if (m == null || !m.matches()) {
      report(path, render(node), "a duration such as 250ms, 5s, 1m or 1h");
      return fallback;
    }
    long amount = Long.parseLong(m.group(1));
    Duration value =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
    if (value.isZero()) {
      report(path, render(node), "a positive duration");
      return fallback;
    }
    return value;
  }

  URI httpUrl(JsonNode parent, String path) {
    JsonNode node = leaf(parent, path);
    if (node.isMissingNode()) {
      report(path, "missing", "an absolute http or https URL (required)");
      return URI.create("http://127.0.0.1/");
    }
    URI uri = node.isTextual() ? parseUri(node.asText()) : null;
    if (uri == null
        || uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null) {
      report(path, render(node), "an absolute http or https URL");
      return URI.create("http://127.0.0.1/");
    }
    return uri;
  }

  List<String> origins(JsonNode parent, String path) {
    JsonNode node = leaf(parent, path);
    if (node.isMissingNode()) {
      return List.of();
    }
    if (!node.isArray()) {
      report(path, render(node), "a list of origins such as https://app.example.com");
      return List.of();
    }
    List<String> origins = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      URI uri = item.isTextual() ? parseUri(item.asText()) : null;
      boolean wildcard = item.isTextual() && item.asText().equals("*");
      if (!wildcard
          && (uri == null
              || uri.getScheme() == null
              || uri.getHost() == null
              || (uri.getPath() != null && !uri.getPath().isEmpty()))) {
        report(
            path + "[" + i + "]",
            render(item),
            "an origin: scheme://host[:port] without a path, or *");
        continue;
      }
      origins.add(item.asText().toLowerCase(Locale.ROOT));
    }
    return origins;
  }

  private static JsonNode leaf(JsonNode parent, String path) {
    String name = path.substring(path.lastIndexOf('.') + 1);
    JsonNode node = parent.path(name);
    return node.isNull() ? MissingNode.getInstance() : node;
  }

  private static URI parseUri(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  static String render(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    return node.toString();
  }
}
