package io.mcpsidecar.agent.transport;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Cuts a {@code text/event-stream} byte stream into whole events (everything up to and including
 * the blank line that ends each), so each event can be observed and relayed as soon as it is
 * complete. Bytes are passed on exactly as received. Only the unfinished tail of the stream is
 * held; a single event larger than {@code maxEventBytes} is passed on in pieces, unobserved, so
 * memory stays bounded whatever the server sends.
 */
final class SseEventSplitter {

  /** A piece of the stream: a whole event, or a raw piece of an oversized one. */
  record Piece(Buffer bytes, boolean wholeEvent) {}

  private final int maxEventBytes;
  private final Consumer<Piece> sink;
  private Buffer pending = Buffer.buffer();
  private int scanFrom;
  private int lineStart;
  private boolean lastWasCr;
  private boolean oversized;

  SseEventSplitter(int maxEventBytes, Consumer<Piece> sink) {
    this.maxEventBytes = maxEventBytes;
    this.sink = sink;
  }

  void feed(Buffer chunk) {
    pending = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
    int eventStart = 0;
    int length = pending.length();
    for (int i = scanFrom; i < length; i++) {
      byte b = pending.getByte(i);
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        lineStart = i + 1;
        continue;
      }
      if (b == '\n' || b == '\r') {
        lastWasCr = b == '\r';
        boolean emptyLine = i == lineStart;
        lineStart = i + 1;
        if (emptyLine) {
          int end = i + 1;
          if (b == '\r' && end < length && pending.getByte(end) == '\n') {
            end++;
            lastWasCr = false;
            i++;
            lineStart = end;
          }
          Buffer event =
              eventStart == 0 && end == length ? pending : pending.getBuffer(eventStart, end);
          sink.accept(new Piece(event, !oversized));
          oversized = false;
          eventStart = end;
        }
      } else {
        lastWasCr = false;
      }
    }
    if (eventStart == length) {
      pending = Buffer.buffer();
      lineStart = 0;
    } else if (eventStart > 0) {
      pending = pending.getBuffer(eventStart, length);
      lineStart -= eventStart;
    }
    scanFrom = pending.length();
    if (pending.length() > maxEventBytes) {
      sink.accept(new Piece(pending, false));
      oversized = true;
      pending = Buffer.buffer();
      lineStart = lineStart >= scanFrom ? 0 : -1;
      scanFrom = 0;
    }
  }

  /** Passes on whatever is left when the stream ends (an event without its blank line). */
  void finish() {
    if (pending.length() > 0) {
      sink.accept(new Piece(pending, false));
      pending = Buffer.buffer();
      scanFrom = 0;
      lineStart = 0;
    }
  }
}
