package io.mcpsidecar.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The config's duration notation: a whole number and one unit, {@code 250ms}, {@code 5s}, ... */
final class DurationText {

  private static final Pattern FORMAT = Pattern.compile("^(\\d{1,18})(ms|s|m|h)$");

  private DurationText() {}

  /** Parses {@code 250ms}, {@code 5s}, {@code 1m} or {@code 1h}. */
  static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration such as 250ms, 5s, 1m or 1h: " + text);
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /** Writes a duration in the largest unit that holds it exactly: 60000ms becomes {@code 1m}. */
  static String format(Duration d) {
    long millis = d.toMillis();
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis != 0 && millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
