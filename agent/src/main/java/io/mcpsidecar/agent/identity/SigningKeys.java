package io.mcpsidecar.agent.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The provider's public signature keys (a Nimbus {@link JWKSet}) and which of them may verify a
 * token. Only asymmetric keys are kept: symmetric ({@code oct}) keys, encryption keys ({@code use:
 * enc}), RSA keys under {@link #MIN_RSA_BITS} and anything unparseable are dropped rather than
 * failing the whole set, as providers publish such keys too. A key verifies only tokens of an
 * algorithm of its own type and size: an RSA key never an EC or HMAC token, a P-256 key never an
 * ES384 token.
 */
final class SigningKeys {

  /** Sets with more keys are cut here: a key set is a handful of keys, not a directory. */
  static final int MAX_KEYS = 64;

  /** RSA keys shorter than this are dropped (RFC 7518 section 3.3). */
  static final int MIN_RSA_BITS = 2048;

  private SigningKeys() {}

  /** Parses a JWKS document; an unusable document gives an exception, unusable keys are skipped. */
  static JWKSet parse(byte[] json) throws IOException {
    Object keys;
    try {
      keys = JSONObjectUtils.parse(new String(json, StandardCharsets.UTF_8)).get("keys");
    } catch (ParseException e) {
      throw new IOException("not a JWK set: " + e.getMessage(), e);
    }
    if (!(keys instanceof List<?> list)) {
      throw new IOException("not a JWK set: no \"keys\" array");
    }
    List<JWK> out = new ArrayList<>();
    for (Object jwk : list) {
      if (out.size() == MAX_KEYS) {
        break;
      }
      JWK key = usable(jwk);
      if (key != null) {
        out.add(key.toPublicJWK());
      }
    }
    return new JWKSet(out);
  }

  @SuppressWarnings("unchecked")
  private static JWK usable(Object jwk) {
    if (!(jwk instanceof Map<?, ?> map)) {
      return null;
    }
    try {
      JWK key = JWK.parse((Map<String, Object>) map);
      if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
        return null;
      }
      if (key instanceof RSAKey rsa) {
        return rsa.size() >= MIN_RSA_BITS ? rsa : null;
      }
      if (key instanceof ECKey) {
        return key;
      }
      if (key instanceof OctetKeyPair okp) {
        return Curve.Ed25519.equals(okp.getCurve()) ? okp : null;
      }
      return null; // oct: a shared secret has no place in a public key set
    } catch (ParseException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The keys a token with this {@code kid} (null: none given) and algorithm may be verified with.
   */
  static List<JWK> candidates(JWKSet keys, String kid, JWSAlgorithm alg) {
    List<JWK> out = new ArrayList<>();
    for (JWK k : keys.getKeys()) {
      boolean idMatches = kid == null || kid.equals(k.getKeyID());
      boolean algMatches = k.getAlgorithm() == null || k.getAlgorithm().equals(alg);
      if (idMatches && algMatches && fits(k, alg)) {
        out.add(k);
      }
    }
    return out;
  }

  /** Whether any key carries this id. */
  static boolean hasKeyId(JWKSet keys, String kid) {
    return keys.getKeyByKeyId(kid) != null;
  }

  private static boolean fits(JWK key, JWSAlgorithm alg) {
    if (JWSAlgorithm.Family.RSA.contains(alg)) {
      return key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS;
    }
    if (JWSAlgorithm.Family.EC.contains(alg)) {
      return key instanceof ECKey ec && Curve.forJWSAlgorithm(alg).contains(ec.getCurve());
    }
    return JWSAlgorithm.EdDSA.equals(alg)
        && key instanceof OctetKeyPair okp
        && Curve.Ed25519.equals(okp.getCurve());
  }

  /** Verifies the token's signature with {@code key}; false on any failure. */
  static boolean verify(JWSObject token, JWK key) {
    try {
      if (key instanceof RSAKey rsa) {
        return token.verify(new RSASSAVerifier(rsa));
      }
      if (key instanceof ECKey ec) {
        return token.verify(new ECDSAVerifier(ec));
      }
      if (key instanceof OctetKeyPair okp) {
        return ed25519(token, okp);
      }
      return false;
    } catch (JOSEException | IllegalStateException | IllegalArgumentException e) {
      return false;
    }
  }

  // Nimbus verifies Ed25519 through Google Tink, an optional dependency left out here; the JDK has
  // had Ed25519 since Java 15.
  private static boolean ed25519(JWSObject token, OctetKeyPair okp) {
    try {
      byte[] signature = token.getSignature().decode();
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(ed25519Key(okp.getDecodedX()));
      verifier.update(token.getSigningInput());
      return signature.length == 64 && verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** RFC 8032: the little-endian y coordinate, with the parity of x in the top bit. */
  private static PublicKey ed25519Key(byte[] encoded) throws GeneralSecurityException {
    if (encoded.length != 32) {
      throw new GeneralSecurityException("an Ed25519 key is 32 bytes");
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
}
