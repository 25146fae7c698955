package io.mcpsidecar.agent.telemetry;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each log event as one JSON line: timestamp, level, logger, message, then the event's
 * key-value pairs (request id, method, ...) as top-level members, then the error if any. An
 * access-log event carries its members as an {@link AccessLine} (its last argument) instead of
 * key-value pairs; they are written in the same place.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] EMPTY = new byte[0];

  @Override
  public byte[] headerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] footerBytes() {
    return EMPTY;
  }

  /** The second the last timestamp fell in, formatted up to its seconds. */
  private record Second(long epochSecond, String prefix) {}

  private volatile Second second = new Second(Long.MIN_VALUE, "");

  @Override
  public byte[] encode(ILoggingEvent event) {
    LineOut out = new LineOut();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("ts", timestamp(event.getTimeStamp()));
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("msg", event.getFormattedMessage());
      Object[] arguments = event.getArgumentArray();
      if (arguments != null
          && arguments.length > 0
          && arguments[arguments.length - 1] instanceof AccessLine line) {
        line.writeFields(json);
      }
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair pair : event.getKeyValuePairs()) {
          writeValue(json, pair.key, pair.value);
        }
      }
      for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
        json.writeStringField(entry.getKey(), entry.getValue());
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField("error", error.getClassName() + ": " + error.getMessage());
        json.writeStringField("stack", ThrowableProxyUtil.asString(error));
      }
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.bytes;
  }

  /**
   * What {@code Instant.ofEpochMilli(millis).toString()} gives, with the part up to the seconds
   * formatted once per second.
   */
  String timestamp(long millis) {
    long epochSecond = Math.floorDiv(millis, 1000);
    int milli = (int) Math.floorMod(millis, 1000);
    Second current = second;
    if (current.epochSecond() != epochSecond) {
      String whole = Instant.ofEpochSecond(epochSecond).toString(); // no fraction: "...:ssZ"
      current = new Second(epochSecond, whole.substring(0, whole.length() - 1));
      second = current;
    }
    if (milli == 0) {
      return current.prefix() + 'Z';
    }
    String prefix = current.prefix();
    char[] chars = new char[prefix.length() + 5];
    prefix.getChars(0, prefix.length(), chars, 0);
    int at = prefix.length();
    chars[at] = '.';
    chars[at + 1] = (char) ('0' + milli / 100);
    chars[at + 2] = (char) ('0' + milli / 10 % 10);
    chars[at + 3] = (char) ('0' + milli % 10);
    chars[at + 4] = 'Z';
    return new String(chars);
  }

  /**
   * Takes the generator's output, which arrives in one write unless the line is longer than the
   * generator's buffer, without copying it into a growing buffer first.
   */
  private static final class LineOut extends OutputStream {
    byte[] bytes = EMPTY;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len == 0) {
        return;
      }
      byte[] joined = Arrays.copyOf(bytes, bytes.length + len);
      System.arraycopy(b, off, joined, bytes.length, len);
      bytes = joined;
    }
  }

  private static void writeValue(JsonGenerator json, String key, Object value) throws IOException {
    if (value == null) {
      json.writeNullField(key);
    } else if (value instanceof Integer || value instanceof Long) {
      json.writeNumberField(key, ((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      json.writeNumberField(key, ((Number) value).doubleValue());
    } else if (value instanceof Boolean b) {
      json.writeBooleanField(key, b);
    } else {
      json.writeStringField(key, value.toString());
    }
  }
}
