package io.mcpsidecar.agent.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches in byte arrays eight bytes at a time: a word is read at once and tested for the bytes
 * sought with the "has a zero byte" bit trick, so runs of ordinary bytes cost one test per eight.
 * The lowest flagged byte of a word is always a true match (a false flag can only sit above a true
 * one), so the index found is the first match.
 */
final class ByteScan {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LF = ONES * '\n';
  private static final long CR = ONES * '\r';
  private static final long QUOTE = ONES * '"';
  private static final long BACKSLASH = ONES * '\\';

  private ByteScan() {}

  /** The high bit of each byte of {@code x} that is zero (and maybe of bytes above the first). */
  private static long zeros(long x) {
    return (x - ONES) & ~x & HIGHS;
  }

  private static int first(int at, long flags) {
    return at + (Long.numberOfTrailingZeros(flags) >>> 3);
  }

  /** The index of the first {@code \n} or {@code \r} in {@code [from, to)}, or {@code to}. */
  static int lineEnd(byte[] bytes, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      long flags = zeros(word ^ LF) | zeros(word ^ CR);
      if (flags != 0) {
        return first(i, flags);
      }
    }
    for (; i < to; i++) {
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        return i;
      }
    }
    return to;
  }

  /**
   * The index of the first {@code "}, backslash or byte outside ASCII in {@code [from, to)}, or
   * {@code to}.
   */
  static int quoteEscapeOrHigh(byte[] bytes, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      long flags = zeros(word ^ QUOTE) | zeros(word ^ BACKSLASH) | (word & HIGHS);
      if (flags != 0) {
        return first(i, flags);
      }
    }
    for (; i < to; i++) {
      byte b = bytes[i];
      if (b == '"' || b == '\\' || b < 0) {
        return i;
      }
    }
    return to;
  }
}
