package io.mcpsidecar.injector.catalog;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The approved MCP servers (an immutable, validated snapshot of the catalog ConfigMap).
 *
 * @param servers the approved MCP server repositories
 * @param trustedRepositories repositories allowed in MCP server pods without being MCP servers (the
 *     agent itself, a mesh proxy): no digest rule applies to them
 */
public record Catalog(List<CatalogEntry> servers, Set<String> trustedRepositories) {
  public Catalog {
    servers = List.copyOf(servers);
    trustedRepositories = Set.copyOf(trustedRepositories);
  }

  /** An empty catalog: every MCP server is denied. */
  public static final Catalog EMPTY = new Catalog(List.of(), Set.of());

  public Optional<CatalogEntry> entry(String repository) {
    return servers.stream().filter(e -> e.repository().equals(repository)).findFirst();
  }
}
