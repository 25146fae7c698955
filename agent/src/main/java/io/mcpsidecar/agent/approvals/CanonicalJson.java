package io.mcpsidecar.agent.approvals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme (RFC 8785): members sorted by their UTF-16 code units, no
 * whitespace, strings with the minimal escapes, and numbers as IEEE-754 doubles written the way
 * ECMAScript's {@code Number.prototype.toString} writes them. So {@code {"b":1.0,"a":1e3}} and
 * {@code {"a":1000,"b":1}} have the same canonical text and the same digest. Integers beyond 2^53
 * lose precision, as RFC 8785 (I-JSON) says they do.
 */
final class CanonicalJson {

  private CanonicalJson() {}

  /** The canonical text of a JSON value as Vert.x decodes it. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  /** Hex SHA-256 of the canonical text's UTF-8 bytes. */
  static String digest(Object value) {
    return sha256(write(value));
  }

  static String sha256(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (value instanceof Number n) {
      out.append(number(n.doubleValue()));
    } else if (value instanceof CharSequence s) {
      string(s.toString(), out);
    } else if (value instanceof JsonObject object) {
      members(object.getMap(), out);
    } else if (value instanceof Map<?, ?> map) {
      members(map, out);
    } else if (value instanceof JsonArray array) {
      elements(array.getList(), out);
    } else if (value instanceof List<?> list) {
      elements(list, out);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private static void members(Map<?, ?> map, StringBuilder out) {
    List<String> names = new ArrayList<>(map.size());
    map.keySet().forEach(k -> names.add(String.valueOf(k)));
    names.sort(null); // String.compareTo compares UTF-16 code units, as RFC 8785 §3.2.3 asks
    out.append('{');
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(names.get(i), out);
      out.append(':');
      write(map.get(names.get(i)), out);
    }
    out.append('}');
  }

  private static void elements(List<?> list, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(list.get(i), out);
    }
    out.append(']');
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** ECMAScript's Number.prototype.toString for a finite double (RFC 8785 §3.2.2.3). */
  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("not a JSON number: " + d);
    }
    if (d == 0) {
      return "0"; // and -0
    }
    String sign = d < 0 ? "-" : "";
    BigDecimal shortest = shortest(Math.abs(d));
    String digits = shortest.unscaledValue().toString();
    // Strip trailing zeros of the digits (they belong to the exponent).
    int k = digits.length();
    while (k > 1 && digits.charAt(k - 1) == '0') {
      k--;
    }
    digits = digits.substring(0, k);
    int n = shortest.precision() - shortest.scale(); // value = 0.digits × 10^n
    StringBuilder out = new StringBuilder(sign);
    if (k <= n && n <= 21) {
      out.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int e = n - 1;
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
    }
    return out.toString();
  }

  /** The decimal with the fewest digits that reads back as {@code d}; the closest one of those. */
  private static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == d) {
        return candidate;
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }
}
