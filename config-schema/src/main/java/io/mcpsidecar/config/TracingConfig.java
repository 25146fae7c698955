package io.mcpsidecar.config;

import java.net.URI;
import java.time.Duration;

/**
 * OpenTelemetry tracing: spans per JSON-RPC request, exported over OTLP.
 *
 * @param enabled whether spans are recorded and exported
 * @param endpoint the collector's OTLP endpoint
 * @param protocol {@code grpc} or {@code http/protobuf}
 * @param samplingRatio share of root traces recorded (parent-based)
 * @param serviceName the {@code service.name} resource attribute
 * @param exportTimeout how long one export may take
 * @param maxQueueSize spans buffered for export before new ones are dropped
 * @param propagateInMeta also write trace context into {@code params._meta} upstream
 */
public record TracingConfig(
    boolean enabled,
    URI endpoint,
    String protocol,
    double samplingRatio,
    String serviceName,
    Duration exportTimeout,
    int maxQueueSize,
    boolean propagateInMeta) {}
