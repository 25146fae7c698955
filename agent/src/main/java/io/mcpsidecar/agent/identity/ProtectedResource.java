package io.mcpsidecar.agent.identity;

import io.mcpsidecar.config.IdentityConfig;
import io.mcpsidecar.config.ResourceMetadataConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for this MCP server, and the {@code
 * WWW-Authenticate} challenge that points to it, as the MCP authorization spec asks: a client that
 * gets 401 reads {@code resource_metadata}, fetches the document, and finds the authorization
 * server there. The document is served at {@code /.well-known/oauth-protected-resource} and, for a
 * resource with a path, at that path appended to it (RFC 9728 section 3.1).
 */
final class ProtectedResource {

  static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

  private ProtectedResource() {}

  /**
   * Whether the agent is the protected resource: it checks credentials (JWT, API keys, or no
   * anonymous callers) or the operator described the resource. Otherwise the server behind it may
   * do its own OAuth and serve its own metadata, so the request is forwarded like any other.
   */
  static boolean servedByAgent(IdentityConfig config) {
    return config.jwt().enabled()
        || !config.apiKeys().isEmpty()
        || !config.anonymous().allowed()
        || !config.resourceMetadata().resource().isEmpty()
        || !config.resourceMetadata().authorizationServers().isEmpty();
  }

  static boolean isMetadataPath(String uri) {
    String path = pathOf(uri);
    return path.equals(WELL_KNOWN) || path.startsWith(WELL_KNOWN + "/");
  }

  /** The resource identifier: configured, or this request's scheme, host and path. */
  static String resource(ResourceMetadataConfig config, MultiMap headers, String path) {
    if (!config.resource().isEmpty()) {
      return config.resource();
    }
    String proto = headers.get("X-Forwarded-Proto");
    proto = proto == null ? "http" : proto.split(",")[0].trim();
    String host = headers.get("Host");
    return proto + "://" + (host == null ? "localhost" : host) + (path.equals("/") ? "" : path);
  }

  /** Where the metadata of the resource an MCP request addressed is served. */
  static String metadataUrl(ResourceMetadataConfig config, MultiMap headers, String uri) {
    URI resource = URI.create(resource(config, headers, pathOf(uri)));
    String path = resource.getRawPath() == null ? "" : resource.getRawPath();
    String authority = resource.getScheme() + "://" + resource.getRawAuthority();
    return authority + WELL_KNOWN + (path.equals("/") ? "" : path);
  }

  /** The metadata document answering a GET on a well-known path. */
  static String document(ResourceMetadataConfig config, MultiMap headers, String uri) {
    String suffix = pathOf(uri).substring(WELL_KNOWN.length());
    JsonObject doc =
        new JsonObject()
            .put("resource", resource(config, headers, suffix.isEmpty() ? "/" : suffix))
            .put("bearer_methods_supported", new JsonArray().add("header"));
    if (!config.authorizationServers().isEmpty()) {
      doc.put("authorization_servers", new JsonArray(config.authorizationServers()));
    }
    return doc.encode();
  }

  /** The RFC 6750 challenge, with {@code error="invalid_token"} when a token was refused. */
  static String challenge(String metadataUrl, IdentityFailure failure) {
    StringBuilder value =
        new StringBuilder("Bearer resource_metadata=\"").append(metadataUrl).append('"');
    if (failure.invalidToken()) {
      value
          .append(", error=\"invalid_token\", error_description=\"")
          .append(failure.message())
          .append('"');
    }
    return value.toString();
  }

  private static String pathOf(String uri) {
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    if (path.startsWith("http://") || path.startsWith("https://")) {
      path = URI.create(path).getRawPath(); // absolute-form request target
    }
    return path == null || path.isEmpty() ? "/" : path;
  }
}
