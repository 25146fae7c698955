package io.mcpsidecar.config;

import java.util.List;

/**
 * Who is calling: how a request's tenant and subject are resolved from its credentials.
 *
 * @param jwt JWT bearer tokens checked against a JWKS
 * @param apiKeys API keys, each mapped to a tenant
 * @param trustedHeader a tenant header set by a trusted gateway
 * @param anonymous callers without credentials
 * @param forwardToken whether the client's credential headers reach the MCP server
 * @param resourceMetadata RFC 9728 protected-resource metadata
 * @param sessions the table binding sessions to their owners
 */
public record IdentityConfig(
    JwtConfig jwt,
    List<ApiKeyConfig> apiKeys,
    TrustedHeaderConfig trustedHeader,
    AnonymousConfig anonymous,
    boolean forwardToken,
    ResourceMetadataConfig resourceMetadata,
    SessionsConfig sessions) {

  public IdentityConfig {
    apiKeys = List.copyOf(apiKeys);
  }
}
