package io.mcpsidecar.injector.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private key and its certificate chain, read from the PEM files that cert-manager (or any CA)
 * writes: {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY}
 * (SEC 1), and one or more {@code CERTIFICATE} blocks, leaf first. The key must match the leaf
 * certificate: a rotation caught between writing the key and writing the certificate is refused.
 */
public record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----", Pattern.DOTALL);
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  public KeyMaterial {
    chain = List.copyOf(chain);
  }

  /** The leaf certificate's expiry. */
  public Instant notAfter() {
    return chain.get(0).getNotAfter().toInstant();
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /**
   * Reads and checks the key and certificate files' contents.
   *
   * @throws GeneralSecurityException with a message naming the problem when they are unusable
   */
  public static KeyMaterial fromPem(byte[] keyPem, byte[] certPem) throws GeneralSecurityException {
    List<X509Certificate> chain = new ArrayList<>();
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    for (Block block : blocks(certPem, "certificate file")) {
      if (block.type().equals("CERTIFICATE")) {
        chain.add(
            (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(block.der())));
      }
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("certificate file: no CERTIFICATE block found");
    }
    PrivateKey key = null;
    for (Block block : blocks(keyPem, "key file")) {
      switch (block.type()) {
        case "PRIVATE KEY" -> key = pkcs8(block.der());
        case "RSA PRIVATE KEY" -> key = pkcs8(wrapPkcs1(block.der()));
        case "EC PRIVATE KEY" -> key = pkcs8(wrapSec1(block.der(), chain.get(0)));
        case "EC PARAMETERS" -> {
          // written by `openssl ecparam -genkey` before the key; the key repeats the curve
        }
        default ->
            throw new GeneralSecurityException(
                "key file: unsupported PEM block "
                    + block.type()
                    + " (expected: PRIVATE KEY,"
                    + " RSA PRIVATE KEY or EC PRIVATE KEY, unencrypted)");
      }
    }
    if (key == null) {
      throw new GeneralSecurityException("key file: no private key found");
    }
    checkMatch(key, chain.get(0));
    return new KeyMaterial(key, chain);
  }

  /** An in-memory PKCS#12 key store holding the key under alias {@code webhook}, no password. */
  public KeyStore toKeyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot create an empty key store", e);
    }
    store.setKeyEntry("webhook", key, null, chain.toArray(new X509Certificate[0]));
    return store;
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(byte[] pem, String what) throws GeneralSecurityException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    List<Block> blocks = new ArrayList<>();
    while (m.find()) {
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new GeneralSecurityException(what + ": invalid base64 in " + m.group(1), e);
      }
    }
    if (blocks.isEmpty()) {
      throw new GeneralSecurityException(what + ": no PEM block found (expected PEM text)");
    }
    return blocks;
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    var spec = new PKCS8EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("key file: unsupported or corrupt private key", last);
  }

  private static byte[] wrapPkcs1(byte[] rsaPrivateKey) {
    // PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption, OCTET STRING }
    return tlv(
        0x30, concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, rsaPrivateKey)));
  }

  private static byte[] wrapSec1(byte[] ecPrivateKey, X509Certificate leaf)
      throws GeneralSecurityException {
    // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] curve OID, [1] ... }
    var der = new Der(ecPrivateKey);
    der.enter(0x30);
    der.skip(0x02);
    der.skip(0x04);
    byte[] algorithm;
    if (der.next() == 0xa0) {
      algorithm = tlv(0x30, concat(EC_PUBLIC_KEY_OID, der.element(0xa0)));
    } else {
      // the curve is optional in SEC 1; the certificate's public key names it
      var spki = new Der(leaf.getPublicKey().getEncoded());
      spki.enter(0x30);
      algorithm = spki.whole(0x30);
    }
    return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, ecPrivateKey)));
  }

  private static void checkMatch(PrivateKey key, X509Certificate leaf)
      throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(leaf.getPublicKey());
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException(
          "the private key does not match the certificate "
              + leaf.getSubjectX500Principal().getName()
              + " (a rotation half done?)");
    }
  }

  static byte[] tlv(int tag, byte[] value) {
    var out = new ByteArrayOutputStream();
    out.write(tag);
    int length = value.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    var out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Just enough DER reading to find the curve of a SEC 1 key. */
  private static final class Der {
    private final byte[] der;
    private int pos;

    Der(byte[] der) {
      this.der = der;
    }

    void enter(int tag) throws GeneralSecurityException {
      expect(tag);
      length();
    }

    void skip(int tag) throws GeneralSecurityException {
      expect(tag);
      int length = length(); // read first: length() advances pos
      pos += length;
    }

    /** The tag of the next element, or -1 at the end. */
    int next() {
      return pos < der.length ? der[pos] & 0xff : -1;
    }

    /** The next element, tag and length included. */
    byte[] whole(int tag) throws GeneralSecurityException {
      int start = pos;
      element(tag);
      return java.util.Arrays.copyOfRange(der, start, pos);
    }

    /** The content of a context-tagged element, e.g. {@code [0]} around the curve OID. */
    byte[] element(int tag) throws GeneralSecurityException {
      expect(tag);
      int length = length();
      if (pos + length > der.length) {
        throw corrupt();
      }
      byte[] content = java.util.Arrays.copyOfRange(der, pos, pos + length);
      pos += length;
      return content;
    }

    private void expect(int tag) throws GeneralSecurityException {
      if (pos >= der.length || (der[pos] & 0xff) != tag) {
        throw corrupt();
      }
      pos++;
    }

    private int length() throws GeneralSecurityException {
      if (pos >= der.length) {
        throw corrupt();
      }
      int first = der[pos++] & 0xff;
      if (first < 0x80) {
        return first;
      }
      int bytes = first & 0x7f;
      if (bytes > 3 || pos + bytes > der.length) {
        throw corrupt();
      }
      int length = 0;
      for (int i = 0; i < bytes; i++) {
        length = (length << 8) | (der[pos++] & 0xff);
      }
      return length;
    }

    private static GeneralSecurityException corrupt() {
      return new GeneralSecurityException(
          "key file: EC PRIVATE KEY without a named curve, or corrupt");
    }
  }
}
