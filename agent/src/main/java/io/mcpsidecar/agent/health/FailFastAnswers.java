package io.mcpsidecar.agent.health;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers of a call that fails fast. Request ids arrive as the JSON text the parser wrote (a
 * number, or a quoted string) and are written back as they came.
 */
final class FailFastAnswers {

  /** The least retry hint, so that clients never retry in a loop. */
  static final long MIN_RETRY_AFTER_MS = 1000;

  private FailFastAnswers() {}

  static String sentence(DependencyCheck check, String tool) {
    return check.spec().name()
        + " is unavailable, so the tool "
        + tool
        + " cannot run now; try again in about "
        + seconds(retryAfterMs(check))
        + " s, or do without it";
  }

  /** Until the dependency's next check, at least {@link #MIN_RETRY_AFTER_MS}. */
  static long retryAfterMs(DependencyCheck check) {
    return Math.max(MIN_RETRY_AFTER_MS, check.millisToNextRun());
  }

  static long seconds(long ms) {
    return Math.max(1, (ms + 999) / 1000);
  }

  static Map<String, Object> data(DependencyCheck check, long retryAfterMs) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("reason", "dependency_down");
    data.put("dependency", check.spec().name());
    data.put("retryAfterMs", retryAfterMs);
    return data;
  }

  /** A tool result with {@code isError: true}: the model reads why and can react. */
  static String toolError(String id, DependencyCheck check, String tool) {
    JsonObject result =
        new JsonObject()
            .put(
                "content",
                new JsonArray()
                    .add(new JsonObject().put("type", "text").put("text", sentence(check, tool))))
            .put("isError", true);
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result.encode() + "}";
  }

  /** JSON-RPC error -32016 for one call of a batch, as the single-call refusal carries it. */
  static String error(String requestId, String id, DependencyCheck check, String tool) {
    JsonObject data =
        new JsonObject().put("type", ErrorCode.DEGRADED.type()).put("requestId", requestId);
    data(check, retryAfterMs(check)).forEach(data::put);
    return errorObject(id, ErrorCode.DEGRADED.code(), sentence(check, tool), data);
  }

  /** A request of a batch that was not sent because other calls in it failed fast. */
  static String notSent(String requestId, String id) {
    JsonObject data =
        new JsonObject()
            .put("type", ErrorCode.DEGRADED.type())
            .put("requestId", requestId)
            .put("reason", "batch_not_sent");
    return errorObject(
        id,
        ErrorCode.DEGRADED.code(),
        "not sent: other calls in this batch need a dependency that is down; send it again"
            + " without them",
        data);
  }

  private static String errorObject(String id, int code, String message, JsonObject data) {
    JsonObject error = new JsonObject().put("code", code).put("message", message).put("data", data);
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + (id == null ? "null" : id)
        + ",\"error\":"
        + error.encode()
        + "}";
  }
}
