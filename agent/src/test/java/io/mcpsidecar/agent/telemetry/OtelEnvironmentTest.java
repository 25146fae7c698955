package io.mcpsidecar.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.config.TracingConfig;
import io.opentelemetry.api.common.AttributeKey;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelEnvironmentTest {

  private static TracingConfig defaults() {
    return new TracingConfig(
        true,
        URI.create("http://localhost:4317"),
        TracingConfig.Protocol.GRPC,
        1.0,
        "mcp-sidecar",
        Duration.ofSeconds(5),
        4096,
        false);
  }

  @Test
  void fillsKeysLeftAtTheirDefaultsFromTheStandardVariables() {
    TracingConfig applied =
        OtelEnvironment.apply(
            defaults(),
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_TRACES_SAMPLER_ARG", "0.25",
                "OTEL_SERVICE_NAME", "weather"));
    assertThat(applied.endpoint()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
    assertThat(applied.protocol()).isEqualTo(TracingConfig.Protocol.HTTP_PROTOBUF);
    assertThat(applied.samplingRatio()).isEqualTo(0.25);
    assertThat(applied.serviceName()).isEqualTo("weather");
  }

  @Test
  void valuesWrittenInTheFileWin() {
    TracingConfig written =
        new TracingConfig(
            true,
            URI.create("http://mine:4317"),
            TracingConfig.Protocol.GRPC,
            0.5,
            "mine",
            Duration.ofSeconds(5),
            4096,
            false);
    TracingConfig applied =
        OtelEnvironment.apply(
            written,
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
                "OTEL_TRACES_SAMPLER_ARG", "0.25",
                "OTEL_SERVICE_NAME", "weather"));
    assertThat(applied).isEqualTo(written);
    assertThat(OtelEnvironment.apply(written, Map.of("OTEL_SDK_DISABLED", "true")).enabled())
        .isFalse();
  }

  @Test
  void readsResourceAttributesAndHeaders() {
    var attributes =
        OtelEnvironment.resourceAttributes(
            Map.of(
                "OTEL_RESOURCE_ATTRIBUTES", "k8s.pod.name=weather-0,k8s.namespace.name=shop%20a"));
    assertThat(attributes.get(AttributeKey.stringKey("k8s.namespace.name"))).isEqualTo("shop a");
    assertThat(
            OtelEnvironment.headers(
                Map.of("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20x")))
        .containsEntry("authorization", "Bearer x");
  }
}
