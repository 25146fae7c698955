package io.mcpsidecar.agent.transport;

import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header rules of a proxy: what never crosses a hop, and what the agent adds. */
final class Headers {

  /** RFC 9110 section 7.6.1 hop-by-hop fields, plus the legacy ones proxies also drop. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "http2-settings");

  private Headers() {}

  /** Copies end-to-end headers, skipping hop-by-hop ones and those named in {@code Connection}. */
  static void copyEndToEnd(MultiMap from, MultiMap to, Set<String> alsoSkip) {
    Set<String> skip = new HashSet<>(alsoSkip);
    String connection = from.get("Connection");
    if (connection != null) {
      for (String token : connection.split(",")) {
        skip.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !skip.contains(name)) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }

  /** Total size of the header block as received (names, values, separators). */
  static int size(MultiMap headers) {
    int total = 0;
    for (Map.Entry<String, String> header : headers) {
      total += header.getKey().length() + header.getValue().length() + 4;
    }
    return total;
  }

  /** Quotes an RFC 7239 node when it needs it (IPv6 addresses, ports). */
  static String forwardedNode(String value) {
    if (value == null) {
      return "unknown";
    }
    return value.contains(":") || value.contains("[") ? '"' + value + '"' : value;
  }
}
