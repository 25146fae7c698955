package io.mcpsidecar.config;

import java.time.Duration;

/**
 * The table binding MCP sessions to the principal that opened them.
 *
 * @param maxBytes most bytes the table may hold
 * @param idleTimeout how long a session must go unused before its entry may make room for another
 */
public record SessionsConfig(long maxBytes, Duration idleTimeout) {}
