package io.mcpsidecar.injector.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpsidecar.injector.support.TestCertificates;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyMaterialTest {
  static final TestCertificates.Issued CA = TestCertificates.ca();

  static Stream<Arguments> keyFormats() {
    KeyPair rsa = TestCertificates.rsa();
    KeyPair ec = TestCertificates.ec();
    return Stream.of(
        Arguments.of("RSA PKCS#8 (PRIVATE KEY)", rsa, TestCertificates.pkcs8Pem(rsa)),
        Arguments.of("RSA PKCS#1 (RSA PRIVATE KEY)", rsa, TestCertificates.traditionalPem(rsa)),
        Arguments.of("EC PKCS#8 (PRIVATE KEY)", ec, TestCertificates.pkcs8Pem(ec)),
        Arguments.of("EC SEC 1 (EC PRIVATE KEY)", ec, TestCertificates.traditionalPem(ec)),
        Arguments.of(
            "EC SEC 1 with the curve inside (openssl)", ec, TestCertificates.sec1WithCurvePem(ec)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyFormats")
  void readsTheKeyFormatsCertManagerAndOpensslWrite(String format, KeyPair keys, String keyPem)
      throws Exception {
    var server = TestCertificates.server(CA, keys, Duration.ofHours(1));
    String chain = TestCertificates.certificatePem(server.certificate(), CA.certificate());
    KeyMaterial material = KeyMaterial.fromPem(keyPem.getBytes(US_ASCII), chain.getBytes(US_ASCII));
    assertThat(material.chain()).hasSize(2);
    assertThat(material.leaf().getSerialNumber()).isEqualTo(server.serial());
    assertThat(material.notAfter()).isEqualTo(server.certificate().getNotAfter().toInstant());
    assertThat(material.toKeyStore().getCertificateChain("webhook")).hasSize(2);
  }

  @Test
  void refusesAKeyThatDoesNotMatchTheCertificate() {
    var server = TestCertificates.server(CA, TestCertificates.ec(), Duration.ofHours(1));
    byte[] otherKey = TestCertificates.pkcs8Pem(TestCertificates.ec()).getBytes(US_ASCII);
    byte[] cert = TestCertificates.certificatePem(server.certificate()).getBytes(US_ASCII);
    assertThatThrownBy(() -> KeyMaterial.fromPem(otherKey, cert))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void refusesFilesThatAreNotPem() {
    byte[] cert =
        TestCertificates.certificatePem(
                TestCertificates.server(CA, TestCertificates.ec(), Duration.ofHours(1))
                    .certificate())
            .getBytes(US_ASCII);
    assertThatThrownBy(() -> KeyMaterial.fromPem("garbage".getBytes(US_ASCII), cert))
        .hasMessageContaining("key file: no PEM block");
    byte[] key = TestCertificates.pkcs8Pem(TestCertificates.ec()).getBytes(US_ASCII);
    assertThatThrownBy(() -> KeyMaterial.fromPem(key, key))
        .hasMessageContaining("certificate file: no CERTIFICATE");
  }
}
