package io.mcpsidecar.agent.telemetry;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Writes trace context into {@code params._meta} of the JSON-RPC requests in a body (SEP-414). Only
 * used when configured: it costs a parse and a serialization of the body.
 */
final class MetaContext {

  private MetaContext() {}

  /** The body with {@code traceparent} (and {@code tracestate}) set, or null to keep it as is. */
  static Buffer inject(Buffer body, String traceparent, String tracestate) {
    if (traceparent == null) {
      return null;
    }
    try {
      Object parsed = Json.decodeValue(body);
      if (parsed instanceof JsonObject message) {
        return set(message, traceparent, tracestate) ? message.toBuffer() : null;
      }
      if (parsed instanceof JsonArray batch) {
        boolean changed = false;
        for (Object element : batch) {
          if (element instanceof JsonObject message) {
            changed |= set(message, traceparent, tracestate);
          }
        }
        return changed ? batch.toBuffer() : null;
      }
      return null;
    } catch (DecodeException e) {
      return null; // never reached: the body was parsed before; leave it untouched
    }
  }

  private static boolean set(JsonObject message, String traceparent, String tracestate) {
    if (message.getString("method") == null || !message.containsKey("id")) {
      return false; // notifications and responses carry no trace of their own
    }
    Object params = message.getValue("params");
    JsonObject p;
    if (params == null) {
      p = new JsonObject();
      message.put("params", p);
    } else if (params instanceof JsonObject object) {
      p = object;
    } else {
      return false;
    }
    Object meta = p.getValue("_meta");
    JsonObject m;
    if (meta == null) {
      m = new JsonObject();
      p.put("_meta", m);
    } else if (meta instanceof JsonObject object) {
      m = object;
    } else {
      return false;
    }
    m.put("traceparent", traceparent);
    if (tracestate != null) {
      m.put("tracestate", tracestate);
    } else {
      m.remove("tracestate");
    }
    return true;
  }
}
