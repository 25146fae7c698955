package io.mcpsidecar.agent.transport;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * DNS-rebinding protection as the MCP transport spec asks: a browser {@code Origin} must be a
 * localhost form or one the operator allowed. Requests without {@code Origin} (non-browser clients)
 * pass.
 */
final class OriginCheck {

  private OriginCheck() {}

  static boolean allowed(String origin, List<String> allowedOrigins) {
    if (origin == null) {
      return true;
    }
    String normalized = origin.trim().toLowerCase(Locale.ROOT);
    if (allowedOrigins.contains("*") || allowedOrigins.contains(normalized)) {
      return true;
    }
    try {
      URI uri = new URI(normalized);
      String host = uri.getHost();
      String scheme = uri.getScheme();
      return ("http".equals(scheme) || "https".equals(scheme))
          && host != null
          && (host.equals("localhost")
              || host.equals("127.0.0.1")
              || host.equals("[::1]")
              || host.equals("::1"));
    } catch (Exception e) {
      return false;
    }
  }
}
