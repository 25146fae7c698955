package io.mcpsidecar.config;

import java.util.List;

/**
 * RFC 9728 protected-resource metadata.
 *
 * @param resource this server's resource identifier; empty: derived from each request
 * @param authorizationServers issuers that grant tokens for it
 */
public record ResourceMetadataConfig(String resource, List<String> authorizationServers) {

  public ResourceMetadataConfig {
    authorizationServers = List.copyOf(authorizationServers);
  }
}
