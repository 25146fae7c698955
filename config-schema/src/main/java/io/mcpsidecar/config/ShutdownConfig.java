package io.mcpsidecar.config;

import java.time.Duration;

/** How the agent stops on SIGTERM. */
public record ShutdownConfig(Duration drainTimeout) {}
