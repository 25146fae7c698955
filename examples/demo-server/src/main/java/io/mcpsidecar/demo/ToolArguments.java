package io.mcpsidecar.demo;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Typed access to a {@code tools/call} argument object. The SDK validates arguments against the
 * tool's input schema before the handler runs; these checks still guard the handlers so that a
 * server built with validation off fails with a message instead of a {@link ClassCastException}.
 */
final class ToolArguments {

  private final Map<String, Object> values;

  ToolArguments(Map<String, Object> values) {
    this.values = values == null ? Map.of() : values;
  }

  String requiredString(String name) {
    return optionalString(name)
        .orElseThrow(() -> new IllegalArgumentException(name + ": missing (expected: a string)"));
  }

  Optional<String> optionalString(String name) {
    Object value = values.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String text) {
      return Optional.of(text);
    }
    throw new IllegalArgumentException(name + ": " + value + " (expected: a string)");
  }

  BigDecimal requiredNumber(String name) {
    Object value = values.get(name);
    if (value instanceof Number number) {
      return new BigDecimal(number.toString());
    }
    throw new IllegalArgumentException(name + ": " + value + " (expected: a number)");
  }

  long requiredInteger(String name, long min, long max) {
    Object value = values.get(name);
    if (value instanceof Number number) {
      BigDecimal decimal = new BigDecimal(number.toString());
      if (decimal.stripTrailingZeros().scale() <= 0
          && decimal.compareTo(BigDecimal.valueOf(min)) >= 0
          && decimal.compareTo(BigDecimal.valueOf(max)) <= 0) {
        return decimal.longValueExact();
      }
    }
    throw new IllegalArgumentException(
        name + ": " + value + " (expected: an integer in [" + min + ", " + max + "])");
  }
}
