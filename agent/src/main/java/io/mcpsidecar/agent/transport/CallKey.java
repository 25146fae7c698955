package io.mcpsidecar.agent.transport;

import java.util.Objects;

/**
 * The key of one typed value a stage keeps on a call ({@link McpCall#get}, {@link McpCall#put}).
 * Keys compare by identity: a stage that wants its value private keeps its key private; a value
 * other stages read (the trace id, say) has a public key in the package that writes it.
 *
 * @param <T> the type of the value
 */
public final class CallKey<T> {

  private final String name;
  private final Class<T> type;

  private CallKey(String name, Class<T> type) {
    this.name = Objects.requireNonNull(name);
    this.type = Objects.requireNonNull(type);
  }

  /** A new key; {@code name} is for messages only and need not be unique. */
  public static <T> CallKey<T> of(String name, Class<T> type) {
    return new CallKey<>(name, type);
  }

  public String name() {
    return name;
  }

  T cast(Object value) {
    return type.cast(value);
  }

  @Override
  public String toString() {
    return name + " (" + type.getSimpleName() + ")";
  }
}
