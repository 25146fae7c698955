package io.mcpsidecar.injector.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpsidecar.injector.mutation.InjectionSettings.AgentResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the {@code mcp-sidecar.io/} annotations of a pod into {@link AgentOptions}, reporting every
 * invalid value at once, with its path, the value and what was expected.
 */
public final class AnnotationOverrides {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern PORT_NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
  private static final Pattern IMAGE = Pattern.compile("^[^\\s]+$");
  private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  /** The result of reading the annotations: the options, and what was wrong or unknown. */
  public record Parsed(AgentOptions options, List<String> problems, List<String> warnings) {
    public Parsed {
      problems = List.copyOf(problems);
      warnings = List.copyOf(warnings);
    }
  }

  private final Map<String, String> annotations;
  private final List<String> problems = new ArrayList<>();

  private AnnotationOverrides(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  /** Applies the annotations found in {@code metadataAnnotations} (may be missing) to defaults. */
  public static Parsed parse(JsonNode metadataAnnotations, InjectionSettings defaults) {
    var overrides = new AnnotationOverrides(textValues(metadataAnnotations));
    return overrides.read(defaults);
  }

  private Parsed read(InjectionSettings defaults) {
    String image = text(PodKeys.IMAGE, IMAGE, "an image reference", defaults.agentImage());
    String configMap =
        text(
            PodKeys.CONFIG_MAP,
            DNS_SUBDOMAIN,
            "a ConfigMap name (lower-case DNS subdomain)",
            defaults.configMap());
    if (configMap.length() > 253) {
      problem(PodKeys.CONFIG_MAP, configMap, "at most 253 characters");
    }
    Optional<String> secret = Optional.ofNullable(annotations.get(PodKeys.ENV_FROM_SECRET));
    secret
        .filter(name -> !DNS_SUBDOMAIN.matcher(name).matches() || name.length() > 253)
        .ifPresent(
            name ->
                problem(PodKeys.ENV_FROM_SECRET, name, "a Secret name (lower-case DNS subdomain)"));
    Optional<String> upstream = Optional.ofNullable(annotations.get(PodKeys.UPSTREAM_PORT));
    upstream.ifPresent(this::checkUpstreamPort);
    int listen = port(PodKeys.LISTEN_PORT, defaults.listenPort());
    int admin = port(PodKeys.ADMIN_PORT, defaults.adminPort());
    if (listen == admin) {
      problem(
          PodKeys.ADMIN_PORT,
          String.valueOf(admin),
          "a port different from the listen port " + listen);
    }
    String level = logLevel(defaults.logLevel());
    boolean nativeSidecar = bool(PodKeys.NATIVE_SIDECAR, defaults.nativeSidecar());
    AgentResources resources = resources(defaults.resources());
    var options =
        new AgentOptions(
            image, configMap, secret, upstream, listen, admin, level, nativeSidecar, resources);
    return new Parsed(options, problems, unknownKeys());
  }

  private void checkUpstreamPort(String value) {
    if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
      portNumber(PodKeys.UPSTREAM_PORT, value);
    } else if (!isPortName(value)) {
      problem(
          PodKeys.UPSTREAM_PORT,
          value,
          "a port number 1-65535 or the name of a container port (1-15 characters a-z, 0-9, -)");
    }
  }

  static boolean isPortName(String value) {
    return value.length() <= 15
        && PORT_NAME.matcher(value).matches()
        && !value.contains("--")
        && value.chars().anyMatch(Character::isLetter);
  }

  private String text(String key, Pattern form, String expected, String fallback) {
    String value = annotations.get(key);
    if (value == null) {
      return fallback;
    }
    if (!form.matcher(value).matches()) {
      problem(key, value, expected);
      return fallback;
    }
    return value;
  }

  private int port(String key, int fallback) {
    String value = annotations.get(key);
    return value == null ? fallback : portNumber(key, value).orElse(fallback);
  }

  private Optional<Integer> portNumber(String key, String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return Optional.of(port);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(key, value, "a port number 1-65535");
    return Optional.empty();
  }

  private String logLevel(String fallback) {
    String value = annotations.get(PodKeys.LOG_LEVEL);
    if (value == null) {
      return fallback;
    }
    String level = value.toUpperCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      problem(PodKeys.LOG_LEVEL, value, "one of TRACE, DEBUG, INFO, WARN, ERROR");
      return fallback;
    }
    return level;
  }

  private boolean bool(String key, boolean fallback) {
    String value = annotations.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.equals("true") && !value.equals("false")) {
      problem(key, value, "\"true\" or \"false\"");
      return fallback;
    }
    return Boolean.parseBoolean(value);
  }

  private AgentResources resources(AgentResources defaults) {
    var cpuRequest = quantity(PodKeys.CPU_REQUEST, defaults.cpuRequest());
    var cpuLimit = quantity(PodKeys.CPU_LIMIT, defaults.cpuLimit());
    var memoryRequest = quantity(PodKeys.MEMORY_REQUEST, defaults.memoryRequest());
    var memoryLimit = quantity(PodKeys.MEMORY_LIMIT, defaults.memoryLimit());
    checkOrder(PodKeys.CPU_REQUEST, cpuRequest, "CPU", cpuLimit);
    checkOrder(PodKeys.MEMORY_REQUEST, memoryRequest, "memory", memoryLimit);
    return new AgentResources(cpuRequest, cpuLimit, memoryRequest, memoryLimit);
  }

  private Optional<Quantity> quantity(String key, Optional<Quantity> fallback) {
    String value = annotations.get(key);
    if (value == null) {
      return fallback;
    }
    Optional<Quantity> parsed = Quantity.parse(value);
    if (parsed.isEmpty()) {
      problem(key, value, "a Kubernetes quantity such as 100m, 0.5, 256Mi or 1Gi");
      return fallback;
    }
    return parsed;
  }

  private void checkOrder(
      String requestKey, Optional<Quantity> request, String what, Optional<Quantity> limit) {
    if (request.isPresent() && limit.isPresent() && request.get().compareTo(limit.get()) > 0) {
      problem(
          requestKey, request.get().text(), "at most the " + what + " limit " + limit.get().text());
    }
  }

  private List<String> unknownKeys() {
    List<String> warnings = new ArrayList<>();
    for (String key : annotations.keySet()) {
      if (key.startsWith(PodKeys.PREFIX)
          && !PodKeys.USER_ANNOTATIONS.contains(key)
          && !PodKeys.WRITTEN_OR_LABELS.contains(key)) {
        warnings.add(
            "unknown annotation "
                + key
                + " is ignored (known: "
                + String.join(", ", PodKeys.USER_ANNOTATIONS)
                + ")");
      }
    }
    return warnings;
  }

  private void problem(String key, String value, String expected) {
    problems.add(
        "metadata.annotations[\"" + key + "\"]: \"" + value + "\" (expected: " + expected + ")");
  }

  private static Map<String, String> textValues(JsonNode object) {
    Map<String, String> values = new TreeMap<>();
    if (object != null && object.isObject()) {
      for (var entry : object.properties()) {
        if (entry.getValue().isTextual()) {
          values.put(entry.getKey(), entry.getValue().asText());
        }
      }
    }
    return values;
  }
}
