package io.mcpsidecar.config;

import org.jspecify.annotations.Nullable;

/**
 * A name pattern, the one dialect of every config key that matches names (tool rules and costs
 * under {@code limits} and {@code tenants}, argument redaction): {@code *} matches any run of
 * characters (none included), {@code ?} exactly one, every other character only itself; there is no
 * escape. Matching is case-sensitive unless the key says otherwise ({@link #ignoringCase}).
 *
 * <p>Parsed once, when a config is loaded: a config snapshot holds its globs ready to match, and a
 * call never compiles one. Matching walks the name once per star at most (no regular expression, no
 * backtracking blow-up on long names).
 */
public final class Glob {

  private final String text;
  private final boolean ignoreCase;
  private final boolean literal;

  private Glob(String text, boolean ignoreCase) {
    this.text = text;
    this.ignoreCase = ignoreCase;
    this.literal = text.indexOf('*') < 0 && text.indexOf('?') < 0;
  }

  /** The case-sensitive glob {@code text}. */
  public static Glob of(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a glob is a string, not null");
    }
    return new Glob(text, false);
  }

  /** The same pattern, matching letters whatever their case. */
  public Glob ignoringCase() {
    return ignoreCase ? this : new Glob(text, true);
  }

  /** The pattern as written in the config. */
  public String text() {
    return text;
  }

  /** Whether the pattern has no wildcard, so matches exactly one name: its text. */
  public boolean literal() {
    return literal;
  }

  /** Whether {@code name} matches the whole pattern; never for null. */
  public boolean matches(@Nullable String name) {
    if (name == null) {
      return false;
    }
    if (literal) {
      return ignoreCase ? text.equalsIgnoreCase(name) : text.equals(name);
    }
    int p = 0;
    int n = 0;
    int star = -1; // the last star seen, and where in the name its run ends so far
    int resume = 0;
    while (n < name.length()) {
      if (p < text.length() && text.charAt(p) == '*') {
        star = p++;
        resume = n;
      } else if (p < text.length()
          && (text.charAt(p) == '?' || same(text.charAt(p), name.charAt(n)))) {
        p++;
        n++;
      } else if (star >= 0) {
        p = star + 1; // let the last star take one more character
        n = ++resume;
      } else {
        return false;
      }
    }
    while (p < text.length() && text.charAt(p) == '*') {
      p++;
    }
    return p == text.length();
  }

  private boolean same(char a, char b) {
    if (a == b) {
      return true;
    }
    if (!ignoreCase) {
      return false;
    }
    return Character.toLowerCase(a) == Character.toLowerCase(b)
        || Character.toUpperCase(a) == Character.toUpperCase(b);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Glob g && g.text.equals(text) && g.ignoreCase == ignoreCase;
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + (ignoreCase ? 1 : 0);
  }

  @Override
  public String toString() {
    return text;
  }
}
