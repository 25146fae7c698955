package io.mcpsidecar.config;

/** The MCP listener: where clients reach the agent. Cannot change without a restart. */
public record ListenConfig(String host, int port) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 9000;
}
