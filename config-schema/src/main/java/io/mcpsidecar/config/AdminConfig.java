package io.mcpsidecar.config;

/**
 * The admin listener (health, readiness, metrics, config, approvals). Never serves MCP traffic.
 *
 * @param token the bearer token the approvals API asks for; empty: the approvals API is off
 */
public record AdminConfig(String host, int port, Secret token) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 9901;
}
