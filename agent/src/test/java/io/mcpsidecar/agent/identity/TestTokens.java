package io.mcpsidecar.agent.identity;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs JWTs in tests with keys generated here, and publishes the public halves as a JWKS, the way
 * an identity provider does; also forges the tokens attackers send ({@code alg: none}, HMAC keyed
 * with the RSA public key).
 */
public final class TestTokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** A key pair with its id and algorithm. */
  public record SigningKey(String kid, String alg, KeyPair pair) {}

  private TestTokens() {}

  public static SigningKey rsa(String kid) {
    return generate(kid, "RS256", "RSA", null);
  }

  /** An RSA key of {@code bits} bits (below 2048: a weak key a provider should never publish). */
  public static SigningKey rsa(String kid, int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return new SigningKey(kid, "RS256", generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SigningKey ed25519(String kid) {
    try {
      return new SigningKey(
          kid, "EdDSA", KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SigningKey ec(String kid) {
    return generate(kid, "ES256", "EC", "secp256r1");
  }

  private static SigningKey generate(String kid, String alg, String type, String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
      if (curve != null) {
        generator.initialize(new ECGenParameterSpec(curve));
      } else {
        generator.initialize(2048);
      }
      return new SigningKey(kid, alg, generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JWKS document publishing the public keys. */
  public static String jwks(SigningKey... keys) {
    StringBuilder out = new StringBuilder("{\"keys\":[");
    for (int i = 0; i < keys.length; i++) {
      out.append(i == 0 ? "" : ",").append(jwk(keys[i]));
    }
    return out.append("]}").toString();
  }

  static String jwk(SigningKey key) {
    if (key.pair().getPublic() instanceof EdECPublicKey ed) {
      // RFC 8032 encoding: y little-endian, the parity of x in the top bit
      byte[] y = fixed(ed.getPoint().getY(), 32);
      byte[] x = new byte[32];
      for (int i = 0; i < 32; i++) {
        x[i] = y[31 - i];
      }
      if (ed.getPoint().isXOdd()) {
        x[31] |= (byte) 0x80;
      }
      return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\""
          + key.kid()
          + "\",\"x\":\""
          + B64.encodeToString(x)
          + "\"}";
    }
    if (key.pair().getPublic() instanceof RSAPublicKey rsa) {
      return "{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\""
          + key.kid()
          + "\",\"n\":\""
          + B64.encodeToString(unsigned(rsa.getModulus()))
          + "\",\"e\":\""
          + B64.encodeToString(unsigned(rsa.getPublicExponent()))
          + "\"}";
    }
    ECPublicKey ec = (ECPublicKey) key.pair().getPublic();
    return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\""
        + key.kid()
        + "\",\"x\":\""
        + B64.encodeToString(fixed(ec.getW().getAffineX(), 32))
        + "\",\"y\":\""
        + B64.encodeToString(fixed(ec.getW().getAffineY(), 32))
        + "\"}";
  }

  /** A signed token with these claims (values: strings, numbers, lists of strings). */
  public static String sign(SigningKey key, Map<String, ?> claims) {
    return signWithHeader(
        key,
        "{\"alg\":\"" + key.alg() + "\",\"typ\":\"JWT\",\"kid\":\"" + key.kid() + "\"}",
        json(claims));
  }

  /** A token signed with {@code key} whose header and payload are these exact JSON texts. */
  public static String signWithHeader(SigningKey key, String headerJson, String payloadJson) {
    String input = encode(headerJson) + "." + encode(payloadJson);
    try {
      PrivateKey priv = key.pair().getPrivate();
      Signature signer =
          Signature.getInstance(
              switch (key.alg()) {
                case "RS256" -> "SHA256withRSA";
                case "EdDSA" -> "Ed25519";
                default -> "SHA256withECDSA";
              });
      signer.initSign(priv);
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      byte[] sig = signer.sign();
      if (key.alg().equals("ES256")) {
        sig = rawOf(sig);
      }
      return input + "." + B64.encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token: {@code alg: none}, empty signature. */
  public static String unsigned(String kid, Map<String, ?> claims) {
    return header("none", kid) + "." + encode(json(claims)) + ".";
  }

  /** The classic confusion attack: HS256 keyed with the RSA public key's encoding. */
  public static String hmacWithPublicKey(SigningKey rsa, Map<String, ?> claims) {
    String input = header("HS256", rsa.kid()) + "." + encode(json(claims));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(rsa.pair().getPublic().getEncoded(), "HmacSHA256"));
      return input
          + "."
          + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String header(String alg, String kid) {
    return encode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}");
  }

  static String encode(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static String json(Map<String, ?> claims) {
    StringBuilder out = new StringBuilder("{");
    claims.forEach(
        (k, v) -> {
          if (out.length() > 1) {
            out.append(',');
          }
          out.append('"').append(k).append("\":").append(value(v));
        });
    return out.append('}').toString();
  }

  private static String value(Object v) {
    if (v instanceof Number) {
      return v.toString();
    }
    if (v instanceof Iterable<?> list) {
      StringBuilder out = new StringBuilder("[");
      for (Object item : list) {
        out.append(out.length() > 1 ? "," : "").append(value(item));
      }
      return out.append(']').toString();
    }
    if (v instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, ?> nested = (Map<String, ?>) map;
      return json(nested);
    }
    return "\"" + v + "\"";
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static byte[] fixed(BigInteger value, int size) {
    byte[] bytes = unsigned(value);
    byte[] out = new byte[size];
    System.arraycopy(bytes, 0, out, size - bytes.length, bytes.length);
    return out;
  }

  /** DER SEQUENCE { INTEGER r, INTEGER s } to JWS's fixed-size R || S. */
  private static byte[] rawOf(byte[] der) {
    int offset = der[1] == (byte) 0x81 ? 3 : 2;
    int rLength = der[offset + 1];
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength));
    int sStart = offset + 2 + rLength;
    int sLength = der[sStart + 1];
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(der, sStart + 2, sStart + 2 + sLength));
    byte[] out = new byte[64];
    System.arraycopy(fixed(r, 32), 0, out, 0, 32);
    System.arraycopy(fixed(s, 32), 0, out, 32, 32);
    return out;
  }
}
