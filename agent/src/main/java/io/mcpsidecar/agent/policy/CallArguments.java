package io.mcpsidecar.agent.policy;

import io.mcpsidecar.agent.transport.BatchSplit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code params} of a call's requests, read from its body only when a rule with a condition or
 * an approval needs them, and then once per call.
 */
final class CallArguments {

  private final Buffer body;
  private Map<String, JsonObject> paramsById;

  CallArguments(Buffer body) {
    this.body = body;
  }

  /** The {@code params.arguments} of the request with {@code id} (JSON text); empty if none. */
  JsonObject arguments(String id) {
    JsonObject params = params(id);
    return params != null && params.getValue("arguments") instanceof JsonObject args
        ? args
        : new JsonObject();
  }

  /** A {@code params} string member in full (the parsed message model caps its strings). */
  String param(String id, String name) {
    JsonObject params = params(id);
    return params != null && params.getValue(name) instanceof String text ? text : null;
  }

  private JsonObject params(String id) {
    if (paramsById == null) {
      paramsById = new HashMap<>();
      try {
        Object parsed = body == null ? null : Json.decodeValue(body);
        if (parsed instanceof JsonObject message) {
          index(message);
        } else if (parsed instanceof JsonArray batch) {
          for (Object element : batch) {
            if (element instanceof JsonObject message) {
              index(message);
            }
          }
        }
      } catch (DecodeException e) {
        // The parser accepted the body already; nothing to index otherwise.
      }
    }
    return paramsById.get(BatchSplit.idKey(id));
  }

  private void index(JsonObject message) {
    if (message.containsKey("id") && message.getValue("params") instanceof JsonObject params) {
      paramsById.putIfAbsent(BatchSplit.idKey(message.getValue("id")), params);
    }
  }
}
