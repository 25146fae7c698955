package io.mcpsidecar.agent.limits;

import java.util.regex.Pattern;

/** A tool name pattern: {@code *} any run of characters, {@code ?} one; the rest literal. */
record Glob(String text, Pattern pattern) {

  static Glob of(String text) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return new Glob(text, Pattern.compile(regex.toString(), Pattern.DOTALL));
  }

  boolean matches(String name) {
    return name != null && pattern.matcher(name).matches();
  }
}
