package io.mcpsidecar.config;

/** Log level of the agent's own loggers and whether one access-log line is written per message. */
public record LoggingConfig(String level, boolean accessLog) {}
