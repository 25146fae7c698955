package io.mcpsidecar.agent.transport;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Server-sent events the agent writes or rewrites itself (for {@link AnswerRewrite}s). */
final class SseEvents {

  private SseEvents() {}

  /** An event carrying one JSON-RPC message (JSON text without line breaks). */
  static Buffer message(String json) {
    return Buffer.buffer("event: message\ndata: " + json + "\n\n");
  }

  /**
   * The event with its JSON data rewritten: every other line ({@code id:}, {@code event:}, {@code
   * retry:}, comments) stays as it was, the data lines become one line holding the new data.
   * Returns {@code raw} itself when nothing changed.
   */
  static Buffer rewrite(Buffer raw, List<AnswerRewrite> rewrites) {
    if (raw.length() == 0) {
      return raw;
    }
    SseEvent event = SseEvent.parse(raw);
    if (!event.carriesJson()) {
      return raw;
    }
    String data = event.data();
    String text = data;
    for (AnswerRewrite rewrite : rewrites) {
      text = rewrite.rewrite(text);
    }
    if (text.equals(data)) {
      return raw;
    }
    StringBuilder out = new StringBuilder(text.length() + 64);
    boolean dataWritten = false;
    for (String line : raw.toString(StandardCharsets.UTF_8).split("\r\n|\r|\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("data:") || line.equals("data")) {
        if (!dataWritten) {
          out.append("data: ").append(text).append('\n');
          dataWritten = true;
        }
      } else {
        out.append(line).append('\n');
      }
    }
    return Buffer.buffer(out.append('\n').toString());
  }
}
