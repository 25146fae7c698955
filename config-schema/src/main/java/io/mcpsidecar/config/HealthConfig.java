package io.mcpsidecar.config;

import java.util.List;

/**
 * The checks of the MCP server and of the dependencies its tools need.
 *
 * @param server the check of the MCP server that readiness follows
 * @param dependencies dependencies of the server's tools, each checked on its own timer
 */
public record HealthConfig(ServerCheckConfig server, List<DependencyConfig> dependencies) {

  public HealthConfig {
    dependencies = List.copyOf(dependencies);
  }
}
