package io.mcpsidecar.agent.transport;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Cuts a {@code text/event-stream} byte stream into whole events (everything up to and including
 * the blank line that ends each), so each event can be observed as soon as it is complete, and
 * gives back, for every chunk fed in, the bytes to relay now: the events that chunk completed, in
 * order, as one buffer (a single write to the client instead of one per event). Bytes are passed on
 * exactly as received unless the {@link EventHandler} replaces an event. Only the unfinished tail
 * of the stream is held; a single event larger than {@code maxEventBytes} is passed on in pieces,
 * unobserved, so memory stays bounded whatever the server sends.
 */
final class SseEventSplitter {

  /** What to do with each whole event. */
  @FunctionalInterface
  interface EventHandler {

    /**
     * Receives one whole event (a view of the stream's bytes, valid until the next {@link #feed})
     * and returns the bytes to relay in its place: the event itself to relay it unchanged.
     */
    Buffer onEvent(Buffer event);
  }

  private static final Buffer NOTHING = Buffer.buffer(0);

  private final int maxEventBytes;
  private final EventHandler handler;
  private Buffer pending = Buffer.buffer();
  private int scanFrom;
  private int lineStart;
  private boolean lastWasCr;
  private boolean oversized;

  /** The bytes to relay for the chunk being fed, built as it is scanned. */
  private Buffer out;

  /** Whether {@link #out} is a buffer of this splitter's own (more bytes may be appended to it). */
  private boolean outCopied;

  /** Where the bytes of {@link #pending} not yet added to {@link #out} begin. */
  private int runStart;

  SseEventSplitter(int maxEventBytes, EventHandler handler) {
    this.maxEventBytes = maxEventBytes;
    this.handler = handler;
  }

  /**
   * Adds a chunk of the stream; returns the bytes to relay now (empty when the chunk completed no
   * event). The returned buffer must not be modified.
   */
  Buffer feed(Buffer chunk) {
    if (chunk.length() == 0) {
      return Buffer.buffer(0);
    }
    pending = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
    int length = pending.length();
    out = null;
    outCopied = false;
    runStart = 0;
    int eventStart = 0;
    ByteBuf buf = ((BufferInternal) pending).getByteBuf();
    byte[] bytes;
    int base;
    if (buf.hasArray()) {
      bytes = buf.array();
      base = buf.arrayOffset() + buf.readerIndex();
    } else {
      bytes = pending.getBytes();
      base = 0;
    }
    for (int i = scanFrom; i < length; i++) {
      int lineEnd = ByteScan.lineEnd(bytes, base + i, base + length) - base;
      if (lineEnd != i) { // bytes other than CR and LF were skipped
        lastWasCr = false;
        i = lineEnd;
        if (i == length) {
          break;
        }
      }
      byte b = bytes[base + i];
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        lineStart = i + 1;
        continue;
      }
      lastWasCr = b == '\r';
      boolean emptyLine = i == lineStart;
      lineStart = i + 1;
      if (emptyLine) {
        int end = i + 1;
        if (b == '\r' && end < length && bytes[base + end] == '\n') {
          end++;
          lastWasCr = false;
          i++;
          lineStart = end;
        }
        event(eventStart, end, length);
        eventStart = end;
      }
    }
    boolean tooLarge = length - eventStart > maxEventBytes;
    // The unfinished event, when too large to hold, is passed on as far as it goes.
    Buffer relayed = take(chunkOf(runStart, tooLarge ? length : eventStart, length));
    if (eventStart == length) {
      pending = Buffer.buffer();
      lineStart = 0;
    } else if (tooLarge) {
      oversized = true;
      pending = Buffer.buffer();
      lineStart = lineStart >= length ? 0 : -1;
    } else if (eventStart > 0) {
      pending = pending.getBuffer(eventStart, length);
      lineStart -= eventStart;
    }
    scanFrom = pending.length();
    return relayed;
  }

  /** Whether the last {@link #feed} passed on part of an event too large to hold (unobserved). */
  boolean passingOversized() {
    return oversized;
  }

  /**
   * Passes on whatever is left when the stream ends (an event without its blank line), unobserved;
   * empty when nothing is left.
   */
  Buffer finish() {
    Buffer rest = pending;
    pending = Buffer.buffer();
    scanFrom = 0;
    lineStart = 0;
    return rest;
  }

  /** A whole event ends at {@code end}: observe it (unless part of it was already passed on). */
  private void event(int start, int end, int length) {
    if (oversized) {
      oversized = false; // the end of an event passed on in pieces: it stays unobserved
      return;
    }
    Buffer event = chunkOf(start, end, length);
    Buffer relayed = handler.onEvent(event);
    if (relayed != event) {
      append(chunkOf(runStart, start, length));
      append(relayed);
      runStart = end;
    }
  }

  /** The bytes {@code [from, to)} of {@link #pending}, without copying them. */
  private Buffer chunkOf(int from, int to, int length) {
    if (from == to) {
      return NOTHING;
    }
    return from == 0 && to == length ? pending : pending.slice(from, to);
  }

  private void append(Buffer bytes) {
    if (bytes.length() == 0) {
      return;
    }
    if (out == null) {
      out = bytes;
    } else {
      if (!outCopied) {
        out = Buffer.buffer(out.length() + bytes.length() + 256).appendBuffer(out);
        outCopied = true;
      }
      out.appendBuffer(bytes);
    }
  }

  private Buffer take(Buffer last) {
    append(last);
    Buffer result = out == null ? Buffer.buffer(0) : out;
    out = null;
    outCopied = false;
    return result;
  }
}
