package io.mcpsidecar.injector.mutation;

/**
 * RFC 6901 JSON Pointers built from unescaped segments. Label and annotation keys such as {@code
 * mcp-sidecar.io/injected} contain {@code /}, which must travel as {@code ~1} (and {@code ~} as
 * {@code ~0}, in that order), or the patch addresses a different, nested member.
 */
public final class JsonPointer {
  private JsonPointer() {}

  /** The pointer to the member or element reached through {@code segments}, in order. */
  public static String of(Object... segments) {
    var out = new StringBuilder();
    for (Object segment : segments) {
      out.append('/').append(escape(String.valueOf(segment)));
    }
    return out.toString();
  }

  /** One reference token, escaped. */
  public static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }
}
