package io.mcpsidecar.agent.limits;

import java.util.List;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} response fields of the IETF draft
 * (draft-ietf-httpapi-ratelimit-headers), as Structured Field lists with one item per limit that
 * applied: {@code "requests";q=100;w=60} and {@code "requests";r=42;t=12}.
 */
final class RateLimitHeaders {

  static final String POLICY = "RateLimit-Policy";
  static final String LIMIT = "RateLimit";

  private RateLimitHeaders() {}

  static String policy(List<LimitDecision.State> states) {
    StringBuilder out = new StringBuilder();
    for (LimitDecision.State s : states) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(item(s.demand().name()))
          .append(";q=")
          .append(s.demand().limit())
          .append(";w=")
          .append(Math.max(1, s.demand().period().toSeconds()));
    }
    return out.toString();
  }

  static String limit(List<LimitDecision.State> states) {
    StringBuilder out = new StringBuilder();
    for (LimitDecision.State s : states) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(item(s.demand().name()))
          .append(";r=")
          .append(Math.max(0, s.remaining()))
          .append(";t=")
          .append(seconds(s.resetNanos()));
    }
    return out.toString();
  }

  /** A Structured Field string: printable ASCII, quotes and backslashes escaped. */
  static String item(String name) {
    StringBuilder out = new StringBuilder(name.length() + 2).append('"');
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append('?');
      }
    }
    return out.append('"').toString();
  }

  /** Whole seconds, rounded up: a client that waits this long is not refused again. */
  static long seconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
