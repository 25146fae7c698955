package io.mcpsidecar.injector.mutation;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 100m}, {@code 256Mi}, {@code 1.5}, {@code 2e3}), parsed
 * only far enough to validate it and to compare a request with its limit.
 */
public record Quantity(String text, BigDecimal value) implements Comparable<Quantity> {
  private static final Pattern FORM =
      Pattern.compile(
          "^([+-]?[0-9]+(?:\\.[0-9]*)?|[+-]?\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$");

  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

  /** The quantity, or empty when {@code text} is not one (or is negative). */
  public static Optional<Quantity> parse(String text) {
    var matcher = FORM.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    BigDecimal number = new BigDecimal(matcher.group(1));
    String suffix = matcher.group(2) == null ? "" : matcher.group(2);
    BigDecimal value;
    if (suffix.startsWith("e") || suffix.startsWith("E")) {
      value = number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    } else {
      value = number.multiply(SUFFIXES.get(suffix));
    }
    return value.signum() < 0 ? Optional.empty() : Optional.of(new Quantity(text, value));
  }

  @Override
  public int compareTo(Quantity other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return text;
  }
}
