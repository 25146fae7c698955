package io.mcpsidecar.agent.transport;

import io.mcpsidecar.config.UpstreamConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Set;

/**
 * Builds the request to the MCP server from the client's: the same method and URI, the client's
 * end-to-end headers as the stages left them, and the forwarding headers of a proxy.
 */
final class UpstreamRequests {

  private static final Set<String> NOT_COPIED = Set.of("host", "content-length");

  private UpstreamRequests() {}

  static RequestOptions options(HttpServerRequest req, McpCall call, UpstreamConfig upstream) {
    URI url = upstream.url();
    RequestOptions options =
        new RequestOptions()
            .setMethod(req.method())
            .setHost(url.getHost())
            .setPort(UpstreamFailure.port(url))
            .setSsl("https".equalsIgnoreCase(url.getScheme()))
            .setURI(req.uri())
            .setConnectTimeout(upstream.connectTimeout().toMillis())
            .setHeaders(MultiMap.caseInsensitiveMultiMap());
    Headers.copyEndToEnd(call.headers(), options.getHeaders(), NOT_COPIED);
    addForwarding(req, call, options.getHeaders());
    return options;
  }

  private static void addForwarding(HttpServerRequest req, McpCall call, MultiMap headers) {
    String client = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
    String host = req.authority() == null ? null : req.authority().toString();
    String proto = req.isSSL() ? "https" : "http";
    String node =
        "for="
            + Headers.forwardedNode(client)
            + ";host="
            + Headers.forwardedNode(host)
            + ";proto="
            + proto;
    String forwarded = req.getHeader("Forwarded");
    headers.set("Forwarded", forwarded == null ? node : forwarded + ", " + node);
    String xff = req.getHeader("X-Forwarded-For");
    if (client != null) {
      headers.set("X-Forwarded-For", xff == null ? client : xff + ", " + client);
    }
    if (host != null && req.getHeader("X-Forwarded-Host") == null) {
      headers.set("X-Forwarded-Host", host);
    }
    if (req.getHeader("X-Forwarded-Proto") == null) {
      headers.set("X-Forwarded-Proto", proto);
    }
    headers.set(RequestIds.HEADER, call.requestId());
  }
}
