package io.mcpsidecar.config;

/** The admin listener (health, readiness, metrics, config). Never serves MCP traffic. */
public record AdminConfig(String host, int port) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 9901;
}
