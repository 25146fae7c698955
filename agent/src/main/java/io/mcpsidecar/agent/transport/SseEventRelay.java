package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * What the relay does with each whole server-sent event: rewrites a legacy {@code endpoint} event
 * that would send the client around the agent ({@link EndpointRewriter}), and hands the JSON-RPC
 * messages of its data that can answer a request to {@code onMessage}. Everything else passes
 * untouched.
 *
 * <p>The fields are read straight from the event's bytes, exactly as {@link SseEvent#parse} reads
 * them, and only data that can hold a message with an id (it contains {@code "id"}, or an escape
 * that could spell it) is parsed as JSON: progress notifications and other messages without an id
 * cannot answer a request, so they cost a scan and no parse. The rare events the byte reading does
 * not settle on its own ({@code endpoint} events, data starting with a non-ASCII character, data
 * that is not valid UTF-8) go the way of {@link SseEvent#parse} on the decoded text.
 */
final class SseEventRelay implements SseEventSplitter.EventHandler {

  private static final byte[] ENDPOINT = {'e', 'n', 'd', 'p', 'o', 'i', 'n', 't'};

  private final EndpointRewriter rewriter;
  private final JsonRpcParser parser;
  private java.util.function.BiConsumer<JsonRpcMessage, String> textSink;
  private final Consumer<JsonRpcMessage> onMessage;

  /** The data lines of the event being read, as [from, to) pairs into its bytes. */
  private int[] data = new int[8];

  private int dataLines;

  SseEventRelay(
      EndpointRewriter rewriter, JsonRpcParser parser, Consumer<JsonRpcMessage> onMessage) {
    this.rewriter = rewriter;
    this.parser = parser;
    this.onMessage = onMessage;
  }

  @Override
  public Buffer onEvent(Buffer raw) {
    ByteBuf buf = ((BufferInternal) raw).getByteBuf();
    byte[] bytes;
    int from;
    if (buf.hasArray()) {
      bytes = buf.array();
      from = buf.arrayOffset() + buf.readerIndex();
    } else {
      bytes = raw.getBytes();
      from = 0;
    }
    int to = from + raw.length();
    boolean endpoint = readFields(bytes, from, to);
    if (endpoint) {
      return relayDecoded(raw);
    }
    if (dataLines == 0) {
      return raw; // no data: nothing to observe
    }
    int first = firstNonWhitespace(bytes);
    if (first < 0) {
      return relayDecoded(raw); // a non-ASCII character may be whitespace to carriesJson()
    }
    if (first != '{' && first != '[') {
      return raw; // not JSON (or only whitespace)
    }
    boolean mayHaveId = false;
    boolean nonAscii = false;
    for (int line = 0; line < dataLines; line++) {
      int start = data[2 * line];
      int end = data[2 * line + 1];
      for (int i = start; i < end; i++) {
        i = ByteScan.quoteEscapeOrHigh(bytes, i, end);
        if (i == end) {
          break;
        }
        byte b = bytes[i];
        if (b < 0) {
          nonAscii = true;
        } else if (b == '\\') {
          mayHaveId = true; // an escaped name (\u0069d) may spell id
        } else if (b == '"'
            && i + 3 < end
            && bytes[i + 1] == 'i'
            && bytes[i + 2] == 'd'
            && bytes[i + 3] == '"') {
          mayHaveId = true;
        }
      }
    }
    if (!mayHaveId) {
      return raw; // no message in it has an id: none can answer a request
    }
    if (nonAscii) {
      for (int line = 0; line < dataLines; line++) {
        if (!validUtf8(bytes, data[2 * line], data[2 * line + 1])) {
          return relayDecoded(raw); // decoding replaces the bad bytes; parse what it gives
        }
      }
    }
    if (dataLines == 1) {
      observe(bytes, data[0], data[1] - data[0]);
    } else {
      byte[] joined = joinedData(bytes);
      observe(joined, 0, joined.length);
    }
    return raw;
  }

  /**
   * Reads the lines of an event as {@link SseEvent#parse} does: records its data lines in {@link
   * #data} and returns whether its (last) {@code event} field is exactly {@code endpoint}.
   */
  private boolean readFields(byte[] bytes, int from, int to) {
    dataLines = 0;
    int eventFrom = -1;
    int eventTo = -1;
    int start = from;
    while (start < to) {
      int end = ByteScan.lineEnd(bytes, start, to);
      if (startsWith(bytes, start, end, "data")) {
        int value = valueStart(bytes, start + 4, end);
        if (value >= 0) {
          addDataLine(value, end);
        }
      } else if (startsWith(bytes, start, end, "event")) {
        int value = valueStart(bytes, start + 5, end);
        if (value >= 0) {
          eventFrom = value;
          eventTo = end;
        }
      }
      if (end < to && bytes[end] == '\r' && end + 1 < to && bytes[end + 1] == '\n') {
        end++;
      }
      start = end + 1;
    }
    return eventFrom >= 0 && equals(bytes, eventFrom, eventTo, ENDPOINT);
  }

  private static boolean startsWith(byte[] bytes, int from, int to, String name) {
    if (to - from < name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (bytes[from + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Where a field's value begins, given where its name ends; -1 when the name goes on. */
  private static int valueStart(byte[] bytes, int nameEnd, int lineEnd) {
    if (nameEnd == lineEnd) {
      return lineEnd;
    }
    if (bytes[nameEnd] != ':') {
      return -1;
    }
    int value = nameEnd + 1;
    if (value < lineEnd && bytes[value] == ' ') {
      value++;
    }
    return value;
  }

  private static boolean equals(byte[] bytes, int from, int to, byte[] expected) {
    if (to - from != expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (bytes[from + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private void addDataLine(int from, int to) {
    if (2 * dataLines + 2 > data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[2 * dataLines] = from;
    data[2 * dataLines + 1] = to;
    dataLines++;
  }

  /**
   * The first byte of the data (lines joined by LF) that {@link Character#isWhitespace} does not
   * skip, or -1 when it is not ASCII (it may be a Unicode space), or ' ' when there is none.
   */
  private int firstNonWhitespace(byte[] bytes) {
    for (int line = 0; line < dataLines; line++) {
      for (int i = data[2 * line]; i < data[2 * line + 1]; i++) {
        byte b = bytes[i];
        if (b < 0) {
          return -1;
        }
        if (!(b == ' ' || (b >= '\t' && b <= '\r') || (b >= 0x1c && b <= 0x1f))) {
          return b;
        }
      }
    }
    return ' ';
  }

  private byte[] joinedData(byte[] bytes) {
    int length = dataLines - 1;
    for (int line = 0; line < dataLines; line++) {
      length += data[2 * line + 1] - data[2 * line];
    }
    byte[] joined = new byte[length];
    int at = 0;
    for (int line = 0; line < dataLines; line++) {
      if (line > 0) {
        joined[at++] = '\n';
      }
      int from = data[2 * line];
      int count = data[2 * line + 1] - from;
      System.arraycopy(bytes, from, joined, at, count);
      at += count;
    }
    return joined;
  }

  /** The event read from its decoded text, as the relay always did for events like this one. */
  private Buffer relayDecoded(Buffer raw) {
    SseEvent event = SseEvent.parse(raw);
    Buffer out = rewriter.rewrite(raw, event);
    if (event.carriesJson()) {
      byte[] data = Buffer.buffer(event.data()).getBytes();
      observe(data, 0, data.length);
    }
    return out;
  }

  /** Also hands the JSON text of every event that holds one message to {@code sink}. */
  void keepText(java.util.function.BiConsumer<JsonRpcMessage, String> sink) {
    this.textSink = sink;
  }

  private void observe(byte[] bytes, int offset, int length) {
    ParseResult parsed = parser.parse(bytes, offset, length);
    if (parsed instanceof ParseResult.Parsed messages) {
      for (JsonRpcMessage message : messages.messages()) {
        onMessage.accept(message);
      }
      if (textSink != null && messages.messages().size() == 1) {
        textSink.accept(
            messages.messages().get(0),
            new String(bytes, offset, length, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * Whether the bytes are well-formed UTF-8 (Unicode 15, table 3-7): exactly the input that
   * decoding to a {@code String} and encoding back leaves unchanged.
   */
  static boolean validUtf8(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int b = bytes[i] & 0xff;
      if (b < 0x80) {
        i++;
        continue;
      }
      int need;
      int min = 0x80;
      int max = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        if (b == 0xe0) {
          min = 0xa0;
        } else if (b == 0xed) {
          max = 0x9f;
        }
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        if (b == 0xf0) {
          min = 0x90;
        } else if (b == 0xf4) {
          max = 0x8f;
        }
      } else {
        return false;
      }
      if (i + need >= to) {
        return false;
      }
      int second = bytes[i + 1] & 0xff;
      if (second < min || second > max) {
        return false;
      }
      for (int k = 2; k <= need; k++) {
        int c = bytes[i + k] & 0xff;
        if (c < 0x80 || c > 0xbf) {
          return false;
        }
      }
      i += need + 1;
    }
    return true;
  }
}
