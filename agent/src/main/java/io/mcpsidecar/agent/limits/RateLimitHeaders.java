package io.mcpsidecar.agent.limits;

import java.time.Duration;
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

  /**
   * The {@code RateLimit-Policy} value for these states: the items their demands carry (computed
   * when the plan or the quota window was), joined.
   */
  static String policy(List<LimitDecision.State> states) {
    if (states.size() == 1) {
      return states.get(0).demand().policy();
    }
    StringBuilder out = new StringBuilder(states.size() * 32);
    for (int i = 0; i < states.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(states.get(i).demand().policy());
    }
    return out.toString();
  }

  /**
   * {@link #policy}, remembering its last answer in {@code memo}: the same demands' items (the very
   * strings, which a plan or a quota window keeps) give the same value without joining again.
   */
  static String policy(List<LimitDecision.State> states, PolicyMemo memo) {
    if (states.size() == 1) {
      return states.get(0).demand().policy();
    }
    PolicyMemo.Joined last = memo.last;
    if (last != null && last.joins(states)) {
      return last.value();
    }
    String[] items = new String[states.size()];
    for (int i = 0; i < items.length; i++) {
      items[i] = states.get(i).demand().policy();
    }
    String value = policy(states);
    memo.last = new PolicyMemo.Joined(items, value);
    return value;
  }

  /** The last {@code RateLimit-Policy} value joined for one tenant's limits. Thread-safe. */
  static final class PolicyMemo {

    record Joined(String[] items, String value) {
      boolean joins(List<LimitDecision.State> states) {
        if (items.length != states.size()) {
          return false;
        }
        for (int i = 0; i < items.length; i++) {
          if (items[i] != states.get(i).demand().policy()) {
            return false;
          }
        }
        return true;
      }
    }

    private volatile Joined last;
  }

  /** One limit's item of {@code RateLimit-Policy}: {@code "requests";q=100;w=60}. */
  static String policyItem(String item, long limit, Duration period) {
    return item + ";q=" + limit + ";w=" + Math.max(1, period.toSeconds());
  }

  static String limit(List<LimitDecision.State> states) {
    StringBuilder out = new StringBuilder(states.size() * 40);
    for (LimitDecision.State s : states) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(s.demand().item())
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
