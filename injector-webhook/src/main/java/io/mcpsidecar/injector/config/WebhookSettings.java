package io.mcpsidecar.injector.config;

import io.mcpsidecar.injector.mutation.InjectionSettings;
import io.mcpsidecar.injector.mutation.InjectionSettings.AgentResources;
import io.mcpsidecar.injector.mutation.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The webhook's settings, read once from environment variables (the Deployment's {@code env}) into
 * an immutable record. Every invalid value is reported at once, as {@code NAME: "value" (expected:
 * ...)}.
 *
 * @param tlsCert PEM certificate chain ({@code WEBHOOK_TLS_CERT})
 * @param tlsKey PEM private key ({@code WEBHOOK_TLS_KEY})
 * @param reloadInterval how often the TLS and catalog files are checked for changes
 * @param catalogFile the catalog document; empty disables the catalog (every MCP server denied)
 * @param catalogRequireAgent whether {@code /validate} denies MCP server pods created without the
 *     agent
 * @param injection the cluster-wide injection defaults
 */
public record WebhookSettings(
    int port,
    Path tlsCert,
    Path tlsKey,
    Duration reloadInterval,
    long maxRequestBytes,
    Optional<Path> catalogFile,
    boolean catalogRequireAgent,
    InjectionSettings injection) {

  /** Every variable the webhook reads, with its default ({@code ""}: none). */
  public static final Map<String, String> VARIABLES =
      orderedMap(
          "WEBHOOK_PORT", "8443",
          "WEBHOOK_TLS_CERT", "/etc/mcp-sidecar-injector/tls/tls.crt",
          "WEBHOOK_TLS_KEY", "/etc/mcp-sidecar-injector/tls/tls.key",
          "WEBHOOK_RELOAD_INTERVAL", "10s",
          "WEBHOOK_MAX_REQUEST_BYTES", "3145728",
          "WEBHOOK_CATALOG_FILE", "",
          "WEBHOOK_CATALOG_REQUIRE_AGENT", "false",
          "WEBHOOK_AGENT_IMAGE", InjectionSettings.DEFAULT_IMAGE,
          "WEBHOOK_AGENT_CONFIG_MAP", InjectionSettings.DEFAULT_CONFIG_MAP,
          "WEBHOOK_AGENT_LISTEN_PORT", String.valueOf(InjectionSettings.DEFAULT_LISTEN_PORT),
          "WEBHOOK_AGENT_ADMIN_PORT", String.valueOf(InjectionSettings.DEFAULT_ADMIN_PORT),
          "WEBHOOK_AGENT_LOG_LEVEL", "INFO",
          "WEBHOOK_NATIVE_SIDECAR", "true",
          "WEBHOOK_AGENT_CPU_REQUEST", "100m",
          "WEBHOOK_AGENT_CPU_LIMIT", "",
          "WEBHOOK_AGENT_MEMORY_REQUEST", "224Mi",
          "WEBHOOK_AGENT_MEMORY_LIMIT", "384Mi",
          "WEBHOOK_EXCLUDED_NAMESPACES", "kube-system,kube-public,kube-node-lease",
          "WEBHOOK_OTLP_ENDPOINT", "",
          "POD_NAMESPACE", "");

  private static final Pattern DURATION = Pattern.compile("^([0-9]+)(ms|s|m|h)$");
  private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  /** Thrown when the settings are invalid; the message lists every problem. */
  public static final class InvalidSettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
      super("invalid webhook settings:\n  " + String.join("\n  ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /**
   * Reads the settings.
   *
   * @param values variable name to value; absent or blank values take the default
   * @param version the injector version
   */
  public static WebhookSettings parse(Map<String, String> values, String version) {
    return new Reader(values).read(version);
  }

  private static final class Reader {
    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> values) {
      this.values = values;
    }

    WebhookSettings read(String version) {
      int port = port("WEBHOOK_PORT");
      Path cert = Path.of(get("WEBHOOK_TLS_CERT"));
      Path key = Path.of(get("WEBHOOK_TLS_KEY"));
      Duration reload = duration("WEBHOOK_RELOAD_INTERVAL");
      long maxBytes = number("WEBHOOK_MAX_REQUEST_BYTES", 1024, 64L << 20);
      Optional<Path> catalog = optional("WEBHOOK_CATALOG_FILE").map(Path::of);
      boolean requireAgent = bool("WEBHOOK_CATALOG_REQUIRE_AGENT");
      String image = get("WEBHOOK_AGENT_IMAGE");
      if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
        problem("WEBHOOK_AGENT_IMAGE", image, "an image reference");
      }
      String configMap = get("WEBHOOK_AGENT_CONFIG_MAP");
      if (!NAME.matcher(configMap).matches()) {
        problem("WEBHOOK_AGENT_CONFIG_MAP", configMap, "a ConfigMap name");
      }
      int listen = port("WEBHOOK_AGENT_LISTEN_PORT");
      int admin = port("WEBHOOK_AGENT_ADMIN_PORT");
      if (listen == admin) {
        problem("WEBHOOK_AGENT_ADMIN_PORT", String.valueOf(admin), "a port other than " + listen);
      }
      String level = get("WEBHOOK_AGENT_LOG_LEVEL").toUpperCase(Locale.ROOT);
      if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(level)) {
        problem("WEBHOOK_AGENT_LOG_LEVEL", level, "one of TRACE, DEBUG, INFO, WARN, ERROR");
      }
      boolean nativeSidecar = bool("WEBHOOK_NATIVE_SIDECAR");
      var resources =
          new AgentResources(
              quantity("WEBHOOK_AGENT_CPU_REQUEST"),
              quantity("WEBHOOK_AGENT_CPU_LIMIT"),
              quantity("WEBHOOK_AGENT_MEMORY_REQUEST"),
              quantity("WEBHOOK_AGENT_MEMORY_LIMIT"));
      Set<String> excluded = new LinkedHashSet<>();
      for (String ns : get("WEBHOOK_EXCLUDED_NAMESPACES").split(",")) {
        if (!ns.isBlank()) {
          excluded.add(ns.strip());
        }
      }
      // never inject into the webhook's own namespace: its pods could not start without it
      optional("POD_NAMESPACE").ifPresent(excluded::add);
      Optional<String> otlp = optional("WEBHOOK_OTLP_ENDPOINT");
      if (!problems.isEmpty()) {
        throw new InvalidSettingsException(problems);
      }
      var injection =
          new InjectionSettings(
              version,
              image,
              configMap,
              listen,
              admin,
              level,
              nativeSidecar,
              resources,
              excluded,
              otlp);
      return new WebhookSettings(
          port, cert, key, reload, maxBytes, catalog, requireAgent, injection);
    }

    private String get(String name) {
      String value = values.get(name);
      return value == null || value.isBlank() ? VARIABLES.get(name) : value.strip();
    }

    private Optional<String> optional(String name) {
      String value = get(name);
      return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private int port(String name) {
      return (int) number(name, 1, 65535);
    }

    private long number(String name, long min, long max) {
      String value = get(name);
      try {
        long n = Long.parseLong(value);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problem(name, value, "a whole number " + min + "-" + max);
      return min;
    }

    private Duration duration(String name) {
      String value = get(name);
      var m = DURATION.matcher(value);
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        problem(name, value, "a positive duration such as 500ms, 10s, 5m or 1h");
        return Duration.ofSeconds(10);
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }

    private boolean bool(String name) {
      String value = get(name);
      if (!value.equals("true") && !value.equals("false")) {
        problem(name, value, "true or false");
      }
      return Boolean.parseBoolean(value);
    }

    private Optional<Quantity> quantity(String name) {
      Optional<String> value = optional(name);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      Optional<Quantity> q = Quantity.parse(value.get());
      if (q.isEmpty()) {
        problem(name, value.get(), "a Kubernetes quantity such as 100m or 256Mi");
      }
      return q;
    }

    private void problem(String name, String value, String expected) {
      problems.add(name + ": \"" + value + "\" (expected: " + expected + ")");
    }
  }

  private static Map<String, String> orderedMap(String... pairs) {
    var map = new java.util.LinkedHashMap<String, String>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }

  /** The Micronaut property name that an environment variable maps to. */
  public static String propertyName(String variable) {
    return String.join(".", Arrays.asList(variable.toLowerCase(Locale.ROOT).split("_")));
  }
}
