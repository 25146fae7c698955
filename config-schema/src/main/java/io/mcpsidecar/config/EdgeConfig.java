package io.mcpsidecar.config;

import java.util.List;
import java.util.Locale;

/**
 * Limits applied to every request at the edge, before anything else looks at it.
 *
 * @param maxBodyBytes largest accepted request body
 * @param allowedOrigins origins allowed besides the localhost forms (DNS rebinding protection)
 * @param maxHeaderCount most request headers accepted
 * @param maxHeaderBytes largest total size of request headers
 * @param maxBatchSize most messages in a JSON-RPC batch (where the protocol era allows batches)
 * @param maxSessionIdBytes longest accepted {@code Mcp-Session-Id}
 */
public record EdgeConfig(
    long maxBodyBytes,
    List<String> allowedOrigins,
    int maxHeaderCount,
    int maxHeaderBytes,
    int maxBatchSize,
    int maxSessionIdBytes) {
  public EdgeConfig {
    // Origins compare case-insensitively (RFC 6454 serializes scheme and host in lower case).
    allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
  }
}
