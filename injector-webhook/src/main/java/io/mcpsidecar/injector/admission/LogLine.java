package io.mcpsidecar.injector.admission;

/**
 * One plain-text log line of {@code key=value} fields, safe whatever the values hold. {@code
 * /mutate} sees a pod before the API server validates it, and anything that reaches the Service can
 * post a review, so a pod name, namespace, container name or image can hold anything, a newline
 * included: written raw, it would end the line and forge the next one ({@code admission
 * webhook=validate ... outcome=allowed}). Every value is therefore escaped (control and
 * line-separator characters as {@code \n}, {@code \r}, {@code \t}, {@code \}{@code uXXXX}; quotes
 * and backslashes too), quoted when it holds a space, {@code =} or a quote (so that a value cannot
 * forge a field either), and cut at {@value #MAX_CHARS} characters.
 */
final class LogLine {
  /** The longest value written, in UTF-16 units; the rest is counted, not written. */
  static final int MAX_CHARS = 256;

  private final StringBuilder line;

  private LogLine(String prefix) {
    this.line = new StringBuilder(prefix);
  }

  /** A line that starts with {@code prefix} (a constant, written as it is). */
  static LogLine of(String prefix) {
    return new LogLine(prefix);
  }

  /** Appends {@code key=value}; the key is a constant of ours, the value anything. */
  LogLine add(String key, Object value) {
    line.append(' ').append(key).append('=').append(value(String.valueOf(value)));
    return this;
  }

  @Override
  public String toString() {
    return line.toString();
  }

  /** {@code value} escaped, quoted if needed, and cut to {@link #MAX_CHARS}. */
  static String value(String value) {
    int keep = value.length();
    if (keep > MAX_CHARS) {
      keep = MAX_CHARS;
      if (Character.isHighSurrogate(value.charAt(keep - 1))) {
        keep--;
      }
    }
    var out = new StringBuilder(keep + 16);
    boolean quote = value.isEmpty();
    for (int i = 0; i < keep; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        case '"' -> {
          out.append("\\\"");
          quote = true;
        }
        case ' ', '=' -> {
          out.append(c);
          quote = true;
        }
        default -> {
          if (unsafe(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (keep < value.length()) {
      out.append("...(+").append(value.length() - keep).append(" chars)");
      quote = true;
    }
    return quote ? "\"" + out + "\"" : out.toString();
  }

  /**
   * C0 and C1 controls and DEL; the Unicode line and paragraph separators, which some log viewers
   * break lines at; and the bidirectional overrides and isolates, which can make a line read
   * differently from what it holds.
   */
  private static boolean unsafe(char c) {
    return Character.isISOControl(c)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
