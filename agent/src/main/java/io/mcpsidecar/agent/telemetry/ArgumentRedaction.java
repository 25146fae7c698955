package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.config.ArgumentLoggingConfig;
import io.mcpsidecar.config.Glob;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Renders the arguments of a tools/call for the access log, only when the config opts in: values
 * whose names match a redaction glob are replaced at every depth, and the text is cut at a bound.
 */
public final class ArgumentRedaction {

  static final String REDACTED = "<redacted>";

  private ArgumentRedaction() {}

  /** The redacted arguments of the request with this id, or null when there are none. */
  static String render(Buffer body, String id, ArgumentLoggingConfig config) {
    if (body == null || id == null) {
      return null;
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      return null;
    }
    JsonObject message = find(parsed, id);
    if (message == null) {
      return null;
    }
    JsonObject params = message.getJsonObject("params");
    Object arguments = params == null ? null : params.getValue("arguments");
    if (arguments == null) {
      return null;
    }
    return redacted(arguments, config);
  }

  /**
   * The arguments as the access log would show them (redacted by name, cut at the bound), whether
   * or not argument logging is on: for what an approver is shown.
   */
  public static String redacted(Object arguments, ArgumentLoggingConfig config) {
    String text = Json.encode(redact(arguments, config.redact()));
    return text.length() <= config.maxBytes()
        ? text
        : text.substring(0, config.maxBytes()) + "...(truncated)";
  }

  private static JsonObject find(Object parsed, String id) {
    if (parsed instanceof JsonObject object) {
      return matches(object, id) ? object : null;
    }
    if (parsed instanceof JsonArray batch) {
      for (Object element : batch) {
        if (element instanceof JsonObject object && matches(object, id)) {
          return object;
        }
      }
    }
    return null;
  }

  private static boolean matches(JsonObject message, String id) {
    Object value = message.getValue("id");
    return value != null && Json.encode(value).equals(id);
  }

  static Object redact(Object value, List<Glob> rules) {
    if (value instanceof JsonObject object) {
      JsonObject out = new JsonObject();
      for (String name : object.fieldNames()) {
        out.put(name, named(name, rules) ? REDACTED : redact(object.getValue(name), rules));
      }
      return out;
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(element -> out.add(redact(element, rules)));
      return out;
    }
    return value;
  }

  // The rules come compiled with the config snapshot (and ignore case): nothing is compiled here.
  private static boolean named(String name, List<Glob> rules) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).matches(name)) {
        return true;
      }
    }
    return false;
  }
}
