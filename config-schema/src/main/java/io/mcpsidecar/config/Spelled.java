package io.mcpsidecar.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * A constant of a closed set of config values (a JSON Schema {@code enum}), which knows how the
 * schema spells it. The binder reads and writes these spellings; code compares constants, never
 * strings.
 */
public interface Spelled {

  /** The value as written in a config file and in the schema's {@code enum}. */
  String spelling();

  /** The constant of {@code type} spelled {@code text}, if any. */
  static <E extends Enum<E> & Spelled> Optional<E> parse(Class<E> type, String text) {
    return Arrays.stream(type.getEnumConstants())
        .filter(e -> e.spelling().equals(text))
        .findFirst();
  }
}
