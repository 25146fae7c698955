package io.mcpsidecar.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A JSON Web Key Set (RFC 7517) reduced to the public signature keys the agent can use. Keys for
 * encryption ({@code use: enc}), symmetric keys ({@code kty: oct}) and anything unparseable are
 * left out rather than failing the whole set, as identity providers publish such keys too.
 *
 * @param keys the usable keys, in the order published (at most {@link #MAX_KEYS})
 */
record JsonWebKeys(List<Key> keys) {

  /** Sets with more keys are cut here: a key set is a handful of keys, not a directory. */
  static final int MAX_KEYS = 64;

  static final JsonWebKeys EMPTY = new JsonWebKeys(List.of());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> CURVES =
      Map.of("P-256", "secp256r1", "P-384", "secp384r1", "P-521", "secp521r1");

  /**
   * One public key.
   *
   * @param kid its key id, or null
   * @param kty its JWK key type ({@code RSA}, {@code EC}, {@code OKP})
   * @param alg the algorithm it is restricted to, or null
   * @param key the key
   */
  record Key(String kid, String kty, String alg, PublicKey key) {}

  JsonWebKeys {
    keys = List.copyOf(keys);
  }

  /** Parses a JWKS document; an unusable document gives an exception, unusable keys are skipped. */
  static JsonWebKeys parse(byte[] json) throws IOException {
    JsonNode root = JSON.readTree(json);
    JsonNode keys = root == null ? null : root.get("keys");
    if (keys == null || !keys.isArray()) {
      throw new IOException("not a JWK set: no \"keys\" array");
    }
    List<Key> out = new ArrayList<>();
    for (JsonNode jwk : keys) {
      if (out.size() == MAX_KEYS) {
        break;
      }
      Key key = key(jwk);
      if (key != null) {
        out.add(key);
      }
    }
    return new JsonWebKeys(out);
  }

  /** The keys a token with this {@code kid} (null: none given) may be verified with. */
  List<Key> candidates(String kid, JwsAlgorithm alg) {
    List<Key> out = new ArrayList<>();
    for (Key k : keys) {
      boolean idMatches = kid == null || kid.equals(k.kid());
      boolean algMatches = k.alg() == null || k.alg().equals(alg.name());
      if (idMatches && algMatches && k.kty().equals(alg.keyType())) {
        out.add(k);
      }
    }
    return out;
  }

  /** Whether any key carries this id. */
  boolean hasKeyId(String kid) {
    return keys.stream().anyMatch(k -> kid.equals(k.kid()));
  }

  private static Key key(JsonNode jwk) {
    String kty = text(jwk, "kty");
    String use = text(jwk, "use");
    if (kty == null || (use != null && !use.equals("sig"))) {
      return null;
    }
    try {
      PublicKey key =
          switch (kty) {
            case "RSA" -> rsa(jwk);
            case "EC" -> ec(jwk);
            case "OKP" -> okp(jwk);
            default -> null;
          };
      return key == null ? null : new Key(text(jwk, "kid"), kty, text(jwk, "alg"), key);
    } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  private static PublicKey rsa(JsonNode jwk) throws GeneralSecurityException {
    return KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e")));
  }

  private static PublicKey ec(JsonNode jwk) throws GeneralSecurityException {
    String curve = CURVES.get(text(jwk, "crv"));
    if (curve == null) {
      return null;
    }
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec(curve));
    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
    ECPoint point = new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y"));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
  }

  private static PublicKey okp(JsonNode jwk) throws GeneralSecurityException {
    if (!"Ed25519".equals(text(jwk, "crv"))) {
      return null;
    }
    // RFC 8032: the little-endian y coordinate, with the parity of x in the top bit.
    byte[] encoded = Base64.getUrlDecoder().decode(text(jwk, "x"));
    if (encoded.length != 32) {
      return null;
    }
    boolean xOdd = (encoded[31] & 0x80) != 0;
    byte[] bigEndian = new byte[32];
    for (int i = 0; i < 32; i++) {
      bigEndian[i] = encoded[31 - i];
    }
    bigEndian[0] &= 0x7f;
    EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
    return KeyFactory.getInstance("Ed25519")
        .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
  }

  private static BigInteger unsigned(JsonNode jwk, String member) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(text(jwk, member)));
  }

  private static String text(JsonNode node, String member) {
    JsonNode value = node.get(member);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}
