package io.mcpsidecar.config;

/** Traces and metrics the agent emits about MCP traffic. */
public record TelemetryConfig(TracingConfig tracing, MetricsConfig metrics) {}
