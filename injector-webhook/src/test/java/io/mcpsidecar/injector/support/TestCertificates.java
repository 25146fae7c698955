package io.mcpsidecar.injector.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates generated in the test: a CA, and server certificates for localhost it signs. */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  /** A key pair and its certificate. */
  public record Issued(KeyPair keys, X509Certificate certificate) {
    public BigInteger serial() {
      return certificate.getSerialNumber();
    }
  }

  private TestCertificates() {}

  public static KeyPair rsa() {
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair ec() {
    try {
      var generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Issued ca() {
    KeyPair keys = ec();
    return new Issued(keys, sign("CN=test-ca", keys, "CN=test-ca", keys, true, Duration.ofDays(1)));
  }

  /** A server certificate for localhost and 127.0.0.1, signed by {@code ca}. */
  public static Issued server(Issued ca, KeyPair keys, Duration validity) {
    return new Issued(
        keys, sign("CN=mcp-sidecar-injector", keys, "CN=test-ca", ca.keys(), false, validity));
  }

  private static X509Certificate sign(
      String subject,
      KeyPair subjectKeys,
      String issuer,
      KeyPair issuerKeys,
      boolean ca,
      Duration validity) {
    try {
      Instant now = Instant.now();
      var builder =
          new JcaX509v3CertificateBuilder(
              new X500Name(issuer),
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(now.minusSeconds(60)),
              Date.from(now.plus(validity)),
              new X500Name(subject),
              subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.dNSName, "localhost"),
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                }));
      }
      String algorithm =
          issuerKeys.getPrivate().getAlgorithm().equals("RSA")
              ? "SHA256withRSA"
              : "SHA256withECDSA";
      var signer = new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The private key as PKCS#8 PEM ({@code PRIVATE KEY}). */
  public static String pkcs8Pem(KeyPair keys) {
    try {
      return pem(new JcaPKCS8Generator(keys.getPrivate(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The private key in its traditional form: {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY}. */
  public static String traditionalPem(KeyPair keys) {
    return pem(keys.getPrivate());
  }

  /**
   * {@code EC PRIVATE KEY} with the named curve inside, as {@code openssl ecparam -genkey} writes.
   */
  public static String sec1WithCurvePem(KeyPair keys) {
    try {
      var info =
          org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
      var curve = info.getPrivateKeyAlgorithm().getParameters();
      var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
      var withCurve = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), null, curve);
      var der = withCurve.getEncoded();
      var text = new StringWriter();
      try (var writer = new org.bouncycastle.util.io.pem.PemWriter(text)) {
        writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", der));
      }
      return text.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String certificatePem(X509Certificate... chain) {
    var out = new StringBuilder();
    for (X509Certificate certificate : chain) {
      out.append(pem(certificate));
    }
    return out.toString();
  }

  private static String pem(Object object) {
    var text = new StringWriter();
    try (var writer = new JcaPEMWriter(text)) {
      if (object instanceof JcaPKCS8Generator generator) {
        writer.writeObject(generator.generate());
      } else {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** A client SSLContext trusting only {@code ca}. Each call is fresh: no session resumption. */
  public static SSLContext trusting(Issued ca) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", ca.certificate());
      var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
