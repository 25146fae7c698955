package io.mcpsidecar.agent.identity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A JWS in compact serialization (RFC 7515), split and decoded but not yet trusted. Parsing is
 * strict: exactly three base64url parts, JSON objects without duplicate keys, bounded size and
 * nesting, so that a token cannot be read two ways.
 *
 * @param header the protected header
 * @param claims the payload
 * @param signingInput the bytes the signature covers: {@code base64url(header) . base64url(claims)}
 * @param signature the decoded signature (empty for {@code alg: none})
 */
record JsonWebToken(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {

  /** Tokens longer than this are refused before any decoding. */
  static final int MAX_LENGTH = 16 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(8192).build())
              .build());

  /** Whether a bearer token has the shape of a JWS (three dot-separated parts). */
  static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    return second > 0 && token.indexOf('.', second + 1) < 0;
  }

  /** Splits and decodes; null when the token is not a well-formed JWS. */
  static JsonWebToken parse(String compact) {
    if (compact.length() > MAX_LENGTH || !looksLikeJwt(compact)) {
      return null;
    }
    int first = compact.indexOf('.');
    int second = compact.indexOf('.', first + 1);
    try {
      JsonNode header = object(compact.substring(0, first));
      JsonNode claims = object(compact.substring(first + 1, second));
      if (header == null || claims == null) {
        return null;
      }
      byte[] signature = Base64.getUrlDecoder().decode(compact.substring(second + 1));
      byte[] input = compact.substring(0, second).getBytes(StandardCharsets.US_ASCII);
      return new JsonWebToken(header, claims, input, signature);
    } catch (IllegalArgumentException | IOException e) {
      return null;
    }
  }

  private static JsonNode object(String part) throws IOException {
    if (part.isEmpty() || part.indexOf('=') >= 0) {
      return null; // base64url in JWS carries no padding
    }
    JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(part));
    return node != null && node.isObject() ? node : null;
  }

  /** The header's {@code alg}, or null. */
  String algorithm() {
    JsonNode alg = header.get("alg");
    return alg != null && alg.isTextual() ? alg.textValue() : null;
  }

  /** The header's {@code kid}, or null. */
  String keyId() {
    JsonNode kid = header.get("kid");
    return kid != null && kid.isTextual() ? kid.textValue() : null;
  }

  /**
   * A claim by name; a dotted name reads nested objects ({@code org.id}). A claim whose own name
   * contains the dots wins over the nested reading.
   */
  JsonNode claim(String name) {
    JsonNode direct = claims.get(name);
    if (direct != null || name.indexOf('.') < 0) {
      return direct;
    }
    JsonNode node = claims;
    for (String part : name.split("\\.")) {
      node = node == null ? null : node.get(part);
    }
    return node;
  }
}
