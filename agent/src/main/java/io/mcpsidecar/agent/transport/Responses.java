package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
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
    JsonObject data = new JsonObject().put("type", code.type()).put("requestId", requestId);
    r.data().forEach(data::put);
    JsonObject error =
        new JsonObject().put("code", code.code()).put("message", r.message()).put("data", data);
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":"
            + (id == null ? "null" : id)
            + ",\"error\":"
            + Json.encode(error)
            + "}";
    response.setStatusCode(code.httpStatus());
    for (Map.Entry<String, String> header : r.headers().entrySet()) {
      response.putHeader(header.getKey(), header.getValue());
    }
    response.putHeader("Content-Type", "application/json");
    return response.end(body);
  }
}
