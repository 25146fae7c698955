package io.mcpsidecar.agent.identity;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;

/**
 * The asymmetric JWS algorithms the agent can verify (RFC 7518, RFC 8037). There is no {@code none}
 * and no HMAC here at all, so no configuration can let a token through unsigned or signed with a
 * public key used as an HMAC secret; and each algorithm verifies only with a key of its own type
 * (an RSA key never verifies an EC token, a P-256 key never an ES384 token).
 */
enum JwsAlgorithm {
  RS256("SHA256withRSA", "RSA", null, 0),
  RS384("SHA384withRSA", "RSA", null, 0),
  RS512("SHA512withRSA", "RSA", null, 0),
  PS256("RSASSA-PSS", "RSA", "SHA-256", 32),
  PS384("RSASSA-PSS", "RSA", "SHA-384", 48),
  PS512("RSASSA-PSS", "RSA", "SHA-512", 64),
  ES256("SHA256withECDSA", "EC", null, 32),
  ES384("SHA384withECDSA", "EC", null, 48),
  ES512("SHA512withECDSA", "EC", null, 66),
  EdDSA("Ed25519", "OKP", null, 0);

  /** RSA keys shorter than this are refused (RFC 7518 section 3.3). */
  static final int MIN_RSA_BITS = 2048;

  private final String jca;
  private final String keyType;
  private final String pssDigest;
  private final int size;

  JwsAlgorithm(String jca, String keyType, String pssDigest, int size) {
    this.jca = jca;
    this.keyType = keyType;
    this.pssDigest = pssDigest;
    this.size = size;
  }

  /** The algorithm named by a token's {@code alg}, or null for anything else. */
  static JwsAlgorithm named(String alg) {
    for (JwsAlgorithm a : values()) {
      if (a.name().equals(alg)) {
        return a;
      }
    }
    return null;
  }

  /** The JWK {@code kty} of the keys this algorithm uses. */
  String keyType() {
    return keyType;
  }

  /** Whether {@code key} is of this algorithm's type and size. */
  boolean fits(PublicKey key) {
    return switch (keyType) {
      case "RSA" -> key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= MIN_RSA_BITS;
      case "EC" ->
          key instanceof ECPublicKey ec
              && (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8 == size;
      default -> key instanceof EdECPublicKey ed && ed.getParams().getName().equals("Ed25519");
    };
  }

  /** Verifies; false for a key of the wrong type or a signature of the wrong shape. */
  boolean verify(PublicKey key, byte[] input, byte[] signature) {
    if (!fits(key)) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(jca);
      if (pssDigest != null) {
        verifier.setParameter(
            new PSSParameterSpec(pssDigest, "MGF1", new MGF1ParameterSpec(pssDigest), size, 1));
      }
      byte[] sig = signature;
      if (keyType.equals("EC")) {
        if (signature.length != 2 * size) {
          return false;
        }
        sig = derOf(signature, size);
      }
      verifier.initVerify(key);
      verifier.update(input);
      return verifier.verify(sig);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * JWS carries ECDSA signatures as R || S; the JCA wants an ASN.1 DER SEQUENCE of two INTEGERs.
   */
  private static byte[] derOf(byte[] raw, int size) {
    byte[] r = new BigInteger(1, Arrays.copyOfRange(raw, 0, size)).toByteArray();
    byte[] s = new BigInteger(1, Arrays.copyOfRange(raw, size, 2 * size)).toByteArray();
    int body = 2 + r.length + 2 + s.length;
    byte[] lengthBytes =
        body < 128 ? new byte[] {(byte) body} : new byte[] {(byte) 0x81, (byte) body};
    byte[] der = new byte[1 + lengthBytes.length + body];
    int i = 0;
    der[i++] = 0x30;
    for (byte b : lengthBytes) {
      der[i++] = b;
    }
    der[i++] = 0x02;
    der[i++] = (byte) r.length;
    System.arraycopy(r, 0, der, i, r.length);
    i += r.length;
    der[i++] = 0x02;
    der[i++] = (byte) s.length;
    System.arraycopy(s, 0, der, i, s.length);
    return der;
  }
}
