package io.mcpsidecar.agent.health;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jspecify.annotations.Nullable;

/** Finds the JSON-RPC answer with a given id in a JSON body or in server-sent events. */
final class JsonRpcAnswers {

  private JsonRpcAnswers() {}

  /** The answer in a whole JSON body (an object, or a batch array), or null. */
  static @Nullable JsonObject fromJson(String body, String id) {
    String text = body.trim();
    try {
      if (text.startsWith("[")) {
        for (Object item : new JsonArray(text)) {
          if (item instanceof JsonObject o && id.equals(String.valueOf(o.getValue("id")))) {
            return o;
          }
        }
        return null;
      }
      JsonObject o = new JsonObject(text);
      return id.equals(String.valueOf(o.getValue("id"))) ? o : null;
    } catch (RuntimeException e) {
      return null; // not JSON (yet)
    }
  }

  /** The answer in the complete events of a stream so far, or null. */
  static @Nullable JsonObject fromEvents(String stream, String id) {
    StringBuilder data = new StringBuilder();
    String[] lines = stream.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    // the last piece is an unfinished line (or empty after a final line break): not yet a line
    for (String line : java.util.Arrays.copyOf(lines, lines.length - 1)) {
      if (line.isEmpty()) {
        if (data.length() > 0) {
          JsonObject found = fromJson(data.toString(), id);
          if (found != null) {
            return found;
          }
          data.setLength(0);
        }
      } else if (line.startsWith("data:")) {
        if (data.length() > 0) {
          data.append('\n');
        }
        data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
      }
    }
    return null;
  }
}
