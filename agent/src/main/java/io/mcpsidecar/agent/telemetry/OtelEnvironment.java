package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.config.Spelled;
import io.mcpsidecar.config.TracingConfig;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standard OpenTelemetry SDK variables, applied where the config file leaves a tracing key at
 * its default: a value written in the file always wins, and the injector's {@code OTEL_*} env fills
 * the rest (service name, resource attributes, collector endpoint and protocol, sampling ratio,
 * exporter headers). {@code OTEL_SDK_DISABLED=true} turns export off.
 */
final class OtelEnvironment {

  private static final URI DEFAULT_ENDPOINT = URI.create("http://localhost:4317");

  private OtelEnvironment() {}

  static TracingConfig apply(TracingConfig config, Map<String, String> env) {
    boolean enabled = config.enabled() && !"true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"));
    TracingConfig.Protocol protocol = config.protocol();
    String envProtocol =
        firstOf(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL");
    if (protocol == TracingConfig.Protocol.GRPC && envProtocol != null) {
      protocol = Spelled.parse(TracingConfig.Protocol.class, envProtocol).orElse(protocol);
    }
    URI endpoint = config.endpoint();
    if (DEFAULT_ENDPOINT.equals(endpoint)) {
      String traces = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
      String base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
      if (traces != null && !traces.isBlank()) {
        endpoint = URI.create(traces.trim());
      } else if (base != null && !base.isBlank()) {
        String b = base.trim();
        // OTLP/HTTP appends the signal path to the base endpoint; gRPC uses it as is.
        endpoint =
            URI.create(
                protocol == TracingConfig.Protocol.HTTP_PROTOBUF
                    ? (b.endsWith("/") ? b + "v1/traces" : b + "/v1/traces")
                    : b);
      }
    }
    double ratio = config.samplingRatio();
    String arg = env.get("OTEL_TRACES_SAMPLER_ARG");
    if (ratio == 1.0 && arg != null) {
      try {
        double parsed = Double.parseDouble(arg.trim());
        if (parsed >= 0 && parsed <= 1) {
          ratio = parsed;
        }
      } catch (NumberFormatException ignored) {
        // an unreadable ratio leaves the configured one
      }
    }
    String serviceName = config.serviceName();
    String envService = env.get("OTEL_SERVICE_NAME");
    if ("mcp-sidecar".equals(serviceName) && envService != null && !envService.isBlank()) {
      serviceName = envService.trim();
    }
    return new TracingConfig(
        enabled,
        endpoint,
        protocol,
        ratio,
        serviceName,
        config.exportTimeout(),
        config.maxQueueSize(),
        config.propagateInMeta());
  }

  /** {@code OTEL_RESOURCE_ATTRIBUTES}: comma-separated, percent-encoded {@code key=value} pairs. */
  static Attributes resourceAttributes(Map<String, String> env) {
    AttributesBuilder builder = Attributes.builder();
    String raw = env.get("OTEL_RESOURCE_ATTRIBUTES");
    if (raw == null) {
      return builder.build();
    }
    for (String pair : raw.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        builder.put(decode(pair.substring(0, eq).trim()), decode(pair.substring(eq + 1).trim()));
      }
    }
    return builder.build();
  }

  /** {@code OTEL_EXPORTER_OTLP_HEADERS}: comma-separated, percent-encoded {@code key=value}. */
  static Map<String, String> headers(Map<String, String> env) {
    Map<String, String> headers = new LinkedHashMap<>();
    String raw = firstOf(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS");
    if (raw == null) {
      return headers;
    }
    for (String pair : raw.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        headers.put(decode(pair.substring(0, eq).trim()), decode(pair.substring(eq + 1).trim()));
      }
    }
    return headers;
  }

  private static String firstOf(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
