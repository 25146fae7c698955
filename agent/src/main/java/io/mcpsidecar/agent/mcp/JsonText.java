package io.mcpsidecar.agent.mcp;

/**
 * Writes a Java string as a JSON string literal that every parser accepts, whatever the string
 * holds: quotes, backslashes and control characters are escaped as JSON requires; U+2028 and U+2029
 * (line breaks to JavaScript) and lone surrogates (not characters at all, so not encodable as
 * UTF-8) are written as {@code \\uXXXX} escapes, which keeps the value exactly as the client sent
 * it. Used for the ids the agent echoes in its own error bodies.
 */
public final class JsonText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** {@code s} as a quoted JSON string literal. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2);
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            escape(out, c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < n
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            escape(out, c); // lone
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** {@code s} with each lone surrogate replaced by U+FFFD, so it encodes as UTF-8 losslessly. */
  public static String wellFormed(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder out = null;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s);
      }
      out.setCharAt(i, '\uFFFD');
    }
    return out == null ? s : out.toString();
  }

  private static void escape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
