package io.mcpsidecar.agent.resilience;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last good answer of each list call, by tenant, method and cursor, within a byte budget (least
 * recently used first out). Answers are kept as the server's text; the stale marks are added only
 * when one is served, which happens only while the circuit is open.
 */
final class StaleLists {

  /** The {@code _meta} keys a stale answer carries (the MCP spec's reverse-DNS prefix form). */
  static final String STALE = "io.mcpsidecar/stale";

  static final String CACHED_AT = "io.mcpsidecar/cachedAt";

  private record Kept(String text, Instant at) {
    long bytes() {
      return 2L * text.length() + 64;
    }
  }

  private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  static String key(String tenant, String method, String cursor) {
    return tenant + '\n' + method + '\n' + (cursor == null ? "" : cursor);
  }

  synchronized void keep(String key, String text, Instant at, long maxBytes) {
    Kept entry = new Kept(text, at);
    if (entry.bytes() > maxBytes) {
      return;
    }
    Kept old = kept.put(key, entry);
    if (old != null) {
      bytes -= old.bytes();
    }
    bytes += entry.bytes();
    Iterator<Map.Entry<String, Kept>> eldest = kept.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().getValue().bytes();
      eldest.remove();
    }
  }

  /**
   * The kept answer for {@code key} as a JSON-RPC response to {@code id} whose result's {@code
   * _meta} says it is stale and since when; null when none is kept (or it cannot be read).
   */
  String answer(String key, String id) {
    Kept entry;
    synchronized (this) {
      entry = kept.get(key);
    }
    if (entry == null) {
      return null;
    }
    try {
      JsonObject result = new JsonObject(entry.text()).getJsonObject("result");
      if (result == null) {
        return null;
      }
      JsonObject meta = result.getJsonObject("_meta");
      if (meta == null) {
        meta = new JsonObject();
        result.put("_meta", meta);
      }
      meta.put(STALE, true).put(CACHED_AT, entry.at().toString());
      return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result.encode() + "}";
    } catch (RuntimeException e) {
      return null;
    }
  }

  synchronized long bytes() {
    return bytes;
  }
}
