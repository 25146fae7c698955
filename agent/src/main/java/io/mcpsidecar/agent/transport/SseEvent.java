package io.mcpsidecar.agent.transport;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** The fields of one server-sent event that the agent reads: its type and its data. */
record SseEvent(String event, String data) {

  /** Reads an event's {@code event:} and {@code data:} fields (data lines joined by LF). */
  static SseEvent parse(Buffer raw) {
    String text = raw.toString(StandardCharsets.UTF_8);
    String event = null;
    StringBuilder data = null;
    int start = 0;
    int length = text.length();
    while (start < length) {
      int end = start;
      while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      String line = text.substring(start, end);
      if (line.startsWith("data")) {
        String value = fieldValue(line, 4);
        if (value != null) {
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
      } else if (line.startsWith("event")) {
        String value = fieldValue(line, 5);
        if (value != null) {
          event = value;
        }
      }
      if (end < length
          && text.charAt(end) == '\r'
          && end + 1 < length
          && text.charAt(end + 1) == '\n') {
        end++;
      }
      start = end + 1;
    }
    return new SseEvent(event, data == null ? null : data.toString());
  }

  private static String fieldValue(String line, int nameLength) {
    if (line.length() == nameLength) {
      return "";
    }
    if (line.charAt(nameLength) != ':') {
      return null;
    }
    int from = nameLength + 1;
    if (from < line.length() && line.charAt(from) == ' ') {
      from++;
    }
    return line.substring(from);
  }

  /** The data looks like JSON-RPC (an object or a batch). */
  boolean carriesJson() {
    if (data == null) {
      return false;
    }
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }
}
