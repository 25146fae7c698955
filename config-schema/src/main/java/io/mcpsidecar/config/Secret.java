package io.mcpsidecar.config;

import java.util.Objects;

/**
 * A credential from the configuration (a token, a password). Its {@link #toString()} never shows
 * the value, so a record that holds one can be logged safely. Bind a schema property declared as
 * {@code {"$ref": "#/$defs/secret"}} (which carries {@code writeOnly: true}) to a field of this
 * type.
 */
public final class Secret {

  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The secret itself; pass it on, never log it. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return Redaction.REDACTED;
  }
}
