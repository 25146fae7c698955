package io.mcpsidecar.agent.transport;

import io.vertx.core.MultiMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header rules of a proxy: what never crosses a hop, and what the agent adds. */
final class Headers {

  /** RFC 9110 section 7.6.1 hop-by-hop fields, plus the legacy ones proxies also drop. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "http2-settings");

  /** {@link #HOP_BY_HOP} by length, so a name is compared with at most two of them. */
  private static final String[][] HOP_BY_HOP_BY_LENGTH = byLength(HOP_BY_HOP);

  private Headers() {}

  /**
   * Copies end-to-end headers, skipping hop-by-hop ones and those named in {@code Connection}.
   * Names are compared as if lower-cased ({@code alsoSkip} holds lower-case names). ASCII names,
   * which is what HTTP allows, are compared in place, so a copy allocates nothing but the copy; any
   * other name is lower-cased and looked up as a string, which gives the same answer.
   */
  static void copyEndToEnd(MultiMap from, MultiMap to, Set<String> alsoSkip) {
    String connection = from.get("Connection");
    // Lower-casing non-ASCII text is not a per-character ASCII rule: keep the exact string rule.
    Set<String> named = connection == null || isAscii(connection) ? null : tokens(connection);
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey();
      boolean skip;
      if (named == null && !name.isEmpty() && isAscii(name)) {
        skip =
            isHopByHop(name)
                || contains(alsoSkip, name)
                || (connection != null && namedIn(connection, name));
      } else {
        String lower = name.toLowerCase(Locale.ROOT);
        if (named == null) {
          named = connection == null ? Set.of() : tokens(connection);
        }
        skip = HOP_BY_HOP.contains(lower) || alsoSkip.contains(lower) || named.contains(lower);
      }
      if (!skip) {
        to.add(name, header.getValue());
      }
    }
  }

  /** The lower-cased, trimmed names a {@code Connection} value lists. */
  private static Set<String> tokens(String connection) {
    Set<String> tokens = new HashSet<>();
    for (String token : connection.split(",")) {
      tokens.add(token.trim().toLowerCase(Locale.ROOT));
    }
    return tokens;
  }

  private static boolean isHopByHop(String asciiName) {
    int length = asciiName.length();
    if (length >= HOP_BY_HOP_BY_LENGTH.length) {
      return false;
    }
    for (String candidate : HOP_BY_HOP_BY_LENGTH[length]) {
      if (sameLowerCase(asciiName, 0, candidate, length)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(Set<String> lowerCaseNames, String asciiName) {
    if (lowerCaseNames.isEmpty()) {
      return false;
    }
    for (String candidate : lowerCaseNames) {
      if (candidate.length() == asciiName.length()
          && sameLowerCase(asciiName, 0, candidate, asciiName.length())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the comma-separated ASCII {@code connection} lists {@code asciiName} (tokens trimmed as
   * {@link String#trim} does, compared ignoring ASCII case).
   */
  private static boolean namedIn(String connection, String asciiName) {
    int length = connection.length();
    int start = 0;
    while (start <= length) {
      int comma = connection.indexOf(',', start);
      int end = comma < 0 ? length : comma;
      int from = start;
      while (from < end && connection.charAt(from) <= ' ') {
        from++;
      }
      int to = end;
      while (to > from && connection.charAt(to - 1) <= ' ') {
        to--;
      }
      if (to - from == asciiName.length()
          && sameIgnoringCase(connection, from, asciiName, to - from)) {
        return true;
      }
      if (comma < 0) {
        return false;
      }
      start = comma + 1;
    }
    return false;
  }

  /**
   * Whether {@code length} chars of {@code text} from {@code offset}, with ASCII letters
   * lower-cased, are the first {@code length} of {@code lower}.
   */
  private static boolean sameLowerCase(String text, int offset, String lower, int length) {
    for (int i = 0; i < length; i++) {
      if (asciiLower(text.charAt(offset + i)) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code length} chars of {@code text} from {@code offset} and {@code other}'s first are
   * equal with ASCII letters lower-cased.
   */
  private static boolean sameIgnoringCase(String text, int offset, String other, int length) {
    for (int i = 0; i < length; i++) {
      if (asciiLower(text.charAt(offset + i)) != asciiLower(other.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String[][] byLength(Set<String> names) {
    int longest = 0;
    for (String name : names) {
      longest = Math.max(longest, name.length());
    }
    String[][] out = new String[longest + 1][0];
    for (String name : names) {
      String[] same = Arrays.copyOf(out[name.length()], out[name.length()].length + 1);
      same[same.length - 1] = name;
      out[name.length()] = same;
    }
    return out;
  }

  /** Total size of the header block as received (names, values, separators). */
  static int size(MultiMap headers) {
    int total = 0;
    for (Map.Entry<String, String> header : headers) {
      total += header.getKey().length() + header.getValue().length() + 4;
    }
    return total;
  }

  /** Quotes an RFC 7239 node when it needs it (IPv6 addresses, ports). */
  static String forwardedNode(String value) {
    if (value == null) {
      return "unknown";
    }
    return value.contains(":") || value.contains("[") ? '"' + value + '"' : value;
  }
}
