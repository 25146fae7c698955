package io.mcpsidecar.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a YAML (or JSON) agent configuration, applies defaults and reports every violation at once.
 * Blocking: call it from a worker thread, never from an event loop.
 */
public final class ConfigLoader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

  private ConfigLoader() {}

  /** Loads and validates the file; a missing or unreadable file is a violation too. */
  public static ConfigResult load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return invalid("$file", quote(file.toString()), "an existing, readable config file");
    } catch (IOException e) {
      return invalid("$file", quote(file.toString()), "a readable config file (" + e + ")");
    }
    return parse(text);
  }

  /** Parses and validates configuration text. */
  public static ConfigResult parse(String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return invalid(
          "$", "unparseable YAML" + where, "well-formed YAML (" + e.getOriginalMessage() + ")");
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return invalid("$", "an empty document", "a mapping with at least upstream.url");
    }
    ConfigReader reader = new ConfigReader();
    AgentConfig config = bind(reader, root);
    return reader.violations().isEmpty()
        ? new ConfigResult.Valid(config)
        : new ConfigResult.Invalid(reader.violations());
  }

  private static AgentConfig bind(ConfigReader r, JsonNode root) {
    r.allowOnly(root, "", Set.of("listen", "admin", "upstream", "edge", "shutdown", "logging"));
    JsonNode listen = r.object(root, "listen");
    r.allowOnly(listen, "listen", Set.of("host", "port"));
    JsonNode admin = r.object(root, "admin");
    r.allowOnly(admin, "admin", Set.of("host", "port"));
    JsonNode upstream = r.object(root, "upstream");
    r.allowOnly(
        upstream,
        "upstream",
        Set.of("url", "connectTimeout", "responseTimeout", "maxConnections", "healthInterval"));
    JsonNode edge = r.object(root, "edge");
    r.allowOnly(
        edge,
        "edge",
        Set.of(
            "maxBodyBytes", "allowedOrigins", "maxHeaderCount", "maxHeaderBytes", "maxBatchSize"));
    JsonNode shutdown = r.object(root, "shutdown");
    r.allowOnly(shutdown, "shutdown", Set.of("drainTimeout"));
    JsonNode logging = r.object(root, "logging");
    r.allowOnly(logging, "logging", Set.of("level", "accessLog"));

    ListenConfig listenConfig =
        new ListenConfig(
            r.string(listen, "listen.host", ListenConfig.DEFAULT_HOST),
            r.integer(listen, "listen.port", ListenConfig.DEFAULT_PORT, 0, 65535));
    AdminConfig adminConfig =
        new AdminConfig(
            r.string(admin, "admin.host", AdminConfig.DEFAULT_HOST),
            r.integer(admin, "admin.port", AdminConfig.DEFAULT_PORT, 0, 65535));
    URI url = r.httpUrl(upstream, "upstream.url");
    UpstreamConfig upstreamConfig =
        new UpstreamConfig(
            url,
            r.duration(upstream, "upstream.connectTimeout", Duration.ofSeconds(2)),
            r.duration(upstream, "upstream.responseTimeout", Duration.ofSeconds(60)),
            r.integer(upstream, "upstream.maxConnections", 512, 1, 100_000),
            r.duration(upstream, "upstream.healthInterval", Duration.ofSeconds(5)));
    EdgeConfig edgeConfig =
        new EdgeConfig(
            r.longInteger(edge, "edge.maxBodyBytes", DEFAULT_MAX_BODY_BYTES, 1024, 1L << 30),
            r.origins(edge, "edge.allowedOrigins"),
            r.integer(edge, "edge.maxHeaderCount", 100, 8, 1000),
            r.integer(edge, "edge.maxHeaderBytes", 16 * 1024, 1024, 1024 * 1024),
            r.integer(edge, "edge.maxBatchSize", 100, 1, 10_000));
    ShutdownConfig shutdownConfig =
        new ShutdownConfig(r.duration(shutdown, "shutdown.drainTimeout", Duration.ofSeconds(15)));
    LoggingConfig loggingConfig =
        new LoggingConfig(
            r.oneOf(
                logging,
                "logging.level",
                "INFO",
                List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR")),
            r.bool(logging, "logging.accessLog", true));
    if (listenConfig.port() != 0 && listenConfig.port() == adminConfig.port()) {
      r.report(
          "admin.port", String.valueOf(adminConfig.port()), "a port different from listen.port");
    }
    return new AgentConfig(
        listenConfig, adminConfig, upstreamConfig, edgeConfig, shutdownConfig, loggingConfig);
  }

  private static ConfigResult invalid(String path, String value, String expected) {
    List<Violation> violations = new ArrayList<>();
    violations.add(new Violation(path, value, expected));
    return new ConfigResult.Invalid(violations);
  }

  static String quote(String s) {
    return '"' + s + '"';
  }
}
