package io.mcpsidecar.config;

import java.net.URI;
import java.time.Duration;

/**
 * OpenTelemetry tracing: spans per JSON-RPC request, exported over OTLP.
 *
 * @param enabled whether spans are recorded and exported
 * @param endpoint the collector's OTLP endpoint
 * @param protocol the OTLP transport
 * @param samplingRatio share of root traces recorded (parent-based)
 * @param serviceName the {@code service.name} resource attribute
 * @param exportTimeout how long one export may take
 * @param maxQueueSize spans buffered for export before new ones are dropped
 * @param propagateInMeta also write trace context into {@code params._meta} upstream
 */
public record TracingConfig(
    boolean enabled,
    URI endpoint,
    Protocol protocol,
    double samplingRatio,
    String serviceName,
    Duration exportTimeout,
    int maxQueueSize,
    boolean propagateInMeta) {

  /** The OTLP transport. */
  public enum Protocol implements Spelled {
    /** OTLP over gRPC. */
    GRPC("grpc"),
    /** OTLP over HTTP with protobuf bodies. */
    HTTP_PROTOBUF("http/protobuf");

    private final String spelling;

    Protocol(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String spelling() {
      return spelling;
    }
  }
}
