package io.mcpsidecar.agent.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The 2026-07-28 routing headers: {@code Mcp-Method} mirrors {@code method} on every POST and
 * {@code Mcp-Name} mirrors the target of {@code tools/call}, {@code prompts/get} and {@code
 * resources/read}. Intermediaries route on the headers, so a header that disagrees with the body
 * would let a request be routed (or allowed) as one thing and executed as another: it is refused.
 */
public final class RoutingHeaders {

  public static final String METHOD = "Mcp-Method";
  public static final String NAME = "Mcp-Name";
  private static final String B64_PREFIX = "=?base64?";
  private static final String B64_SUFFIX = "?=";

  private RoutingHeaders() {}

  /**
   * Checks the headers against a (non-batch) message.
   *
   * @return null when they agree, else a sentence saying what disagrees
   */
  public static String mismatch(String methodHeader, String nameHeader, JsonRpcMessage message) {
    if (message.method() == null) {
      return null; // responses to server requests carry no routing headers
    }
    if (methodHeader == null) {
      return "missing required header " + METHOD;
    }
    if (!methodHeader.equals(message.method())) {
      return METHOD + " header does not match the body's method";
    }
    if (message.targetKind() == TargetKind.NONE) {
      return null;
    }
    if (nameHeader == null) {
      return "missing required header " + NAME + " for " + message.method();
    }
    String decoded = decode(nameHeader);
    if (decoded == null) {
      return NAME + " header is not valid base64";
    }
    if (!decoded.equals(message.target())) {
      return NAME + " header does not match params." + message.targetKind().param();
    }
    return null;
  }

  /** Decodes the {@code =?base64?...?=} form; other values are taken literally. */
  static String decode(String value) {
    String v = value.trim();
    if (v.length() >= B64_PREFIX.length() + B64_SUFFIX.length()
        && v.regionMatches(true, 0, B64_PREFIX, 0, B64_PREFIX.length())
        && v.endsWith(B64_SUFFIX)) {
      String payload = v.substring(B64_PREFIX.length(), v.length() - B64_SUFFIX.length());
      try {
        return new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return v;
  }
}
