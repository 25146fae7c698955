package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonText;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one place where a rejection becomes an HTTP response carrying a JSON-RPC error. */
final class Responses {

  private Responses() {}

  /**
   * Writes the rejection, unless the response has already started (then the connection is reset,
   * since a half-sent response cannot carry an error).
   *
   * @return completes when the answer was written
   * @param id the JSON text of the request id, or null when there is none (or it is unknown)
   */
  static Future<Void> reject(
      HttpServerResponse response, String requestId, String id, Rejection r) {
    if (response.ended() || response.closed()) {
      return Future.succeededFuture();
    }
    if (response.headWritten()) {
      response.reset();
      return Future.succeededFuture();
    }
    ErrorCode code = r.code();
    String body = body(requestId, id, r);
    response.setStatusCode(code.httpStatus());
    for (Map.Entry<String, String> header : r.headers().entrySet()) {
      response.putHeader(header.getKey(), header.getValue());
    }
    response.putHeader("Content-Type", "application/json");
    return response.end(body);
  }

  /**
   * The JSON-RPC error body of a rejection: valid JSON whatever the message and data hold (Jackson
   * escapes control characters; lone surrogates, which no UTF-8 encoder can write, become U+FFFD).
   *
   * @param id the JSON text of the request id as {@link io.mcpsidecar.agent.mcp.JsonRpcParser}
   *     wrote it (a number, or a string quoted by {@link JsonText#quote}), or null
   */
  static String body(String requestId, String id, Rejection r) {
    ErrorCode code = r.code();
    JsonObject data =
        new JsonObject().put("type", code.type()).put("requestId", JsonText.wellFormed(requestId));
    r.data().forEach((key, value) -> data.put(JsonText.wellFormed(key), wellFormed(value)));
    JsonObject error =
        new JsonObject()
            .put("code", code.code())
            .put("message", JsonText.wellFormed(r.message()))
            .put("data", data);
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + (id == null ? "null" : id)
        + ",\"error\":"
        + Json.encode(error)
        + "}";
  }

  private static Object wellFormed(Object value) {
    if (value instanceof String s) {
      return JsonText.wellFormed(s);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(JsonText.wellFormed(String.valueOf(k)), wellFormed(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(wellFormed(v)));
      return out;
    }
    return value;
  }
}
