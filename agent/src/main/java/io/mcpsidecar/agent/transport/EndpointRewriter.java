package io.mcpsidecar.agent.transport;

import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.Locale;

/**
 * Legacy HTTP+SSE (2024-11-05): the server's first event, {@code endpoint}, tells the client where
 * to POST. A relative URI already resolves against the agent. An absolute URI naming the server
 * itself (or a loopback address, as servers bound to localhost announce) would send the client
 * around the agent, so only that case is rewritten to the path and query; any other absolute URI is
 * the server's deliberate choice and is left alone.
 */
final class EndpointRewriter {

  private final String upstreamHost;
  private final int upstreamPort;

  EndpointRewriter(URI upstream) {
    this.upstreamHost = upstream.getHost().toLowerCase(Locale.ROOT);
    this.upstreamPort = port(upstream);
  }

  /** The event to relay: the same bytes, or a rewritten endpoint event. */
  Buffer rewrite(Buffer raw, SseEvent event) {
    if (!"endpoint".equals(event.event()) || event.data() == null) {
      return raw;
    }
    String data = event.data().trim();
    URI uri;
    try {
      uri = new URI(data);
    } catch (Exception e) {
      return raw;
    }
    if (!uri.isAbsolute() || uri.getHost() == null || !pointsAtUpstream(uri)) {
      return raw;
    }
    String relative =
        uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      relative += "?" + uri.getRawQuery();
    }
    return Buffer.buffer("event: endpoint\ndata: " + relative + "\n\n");
  }

  private boolean pointsAtUpstream(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    boolean sameHost =
        host.equals(upstreamHost)
            || host.equals("localhost")
            || host.equals("127.0.0.1")
            || host.equals("[::1]")
            || host.equals("0.0.0.0");
    return sameHost && port(uri) == upstreamPort;
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
