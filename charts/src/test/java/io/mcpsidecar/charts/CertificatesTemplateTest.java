package io.mcpsidecar.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook's serving certificate in both modes: Helm-generated and cert-manager. */
class CertificatesTemplateTest {

  private static final String SERVICE_HOST = "mcp-sidecar-injector.mcp-sidecar-system.svc";

  @AfterEach
  void forgetSecrets() {
    FakeKubeApi.instance().clear();
  }

  @Test
  void generatedCaBundleHoldsTheCaThatSignedTheServingCertificate() throws Exception {
    RenderedChart chart = RenderedChart.render("catalog.yaml");
    JsonNode secret = chart.one("Secret");
    X509Certificate serving = certificate(secret.at("/data/tls.crt").asText());

    assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.at("/data/tls.key").asText()).isNotBlank();
    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      for (JsonNode webhook : chart.one(kind).path("webhooks")) {
        X509Certificate ca = certificate(webhook.at("/clientConfig/caBundle").asText());
        serving.verify(ca.getPublicKey()); // throws unless the CA signed it
        assertThat(ca.getBasicConstraints()).as("a CA certificate").isNotNegative();
        assertThat(webhook.at("/clientConfig/caBundle").asText())
            .isEqualTo(secret.at("/data/ca.crt").asText());
      }
    }
    List<String> dnsNames = new ArrayList<>();
    for (List<?> san : serving.getSubjectAlternativeNames()) {
      dnsNames.add(String.valueOf(san.get(1)));
    }
    assertThat(dnsNames).contains(SERVICE_HOST);
    serving.checkValidity();
    assertThat(
            chart.one("MutatingWebhookConfiguration").at("/metadata/annotations").isMissingNode())
        .isTrue();
  }

  @Test
  void anExistingSecretIsReusedSoUpgradesKeepTheCertificate() {
    RenderedChart first = RenderedChart.render();
    JsonNode data = first.one("Secret").path("data");
    FakeKubeApi.instance()
        .putSecret(
            RenderedChart.NAMESPACE,
            "mcp-sidecar-injector-tls",
            Map.of(
                "ca.crt", data.path("ca.crt").asText(),
                "tls.crt", data.path("tls.crt").asText(),
                "tls.key", data.path("tls.key").asText()));

    RenderedChart upgrade = RenderedChart.render();

    assertThat(upgrade.one("Secret").path("data")).isEqualTo(data);
    assertThat(
            upgrade
                .one("MutatingWebhookConfiguration")
                .at("/webhooks/0/clientConfig/caBundle")
                .asText())
        .isEqualTo(data.path("ca.crt").asText());
  }

  @Test
  void withoutAnExistingSecretEachInstallGetsItsOwnCa() {
    String first = RenderedChart.render().one("Secret").at("/data/ca.crt").asText();
    String second = RenderedChart.render().one("Secret").at("/data/ca.crt").asText();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void certManagerIssuesTheCertificateAndInjectsItsCa() {
    RenderedChart chart = RenderedChart.render("cert-manager.yaml", "catalog.yaml");
    JsonNode serving = chart.named("Certificate", "mcp-sidecar-injector");

    assertThat(chart.all("Secret")).as("cert-manager writes the Secret").isEmpty();
    assertThat(serving.at("/spec/dnsNames").toString()).contains("\"" + SERVICE_HOST + "\"");
    JsonNode tlsVolume =
        InjectorTemplateTest.find(chart.one("Deployment").at("/spec/template/spec/volumes"), "tls");
    assertThat(serving.at("/spec/secretName").asText())
        .isEqualTo(tlsVolume.at("/secret/secretName").asText());
    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      JsonNode configuration = chart.one(kind);
      assertThat(configuration.at("/metadata/annotations/cert-manager.io~1inject-ca-from").asText())
          .as(kind)
          .isEqualTo(RenderedChart.NAMESPACE + "/" + serving.at("/metadata/name").asText());
      for (JsonNode webhook : configuration.path("webhooks")) {
        assertThat(webhook.at("/clientConfig/caBundle").isMissingNode()).as(kind).isTrue();
      }
    }
  }

  @Test
  void certManagerChainsSelfSignedIssuerCaCertificateAndCaIssuer() {
    RenderedChart chart = RenderedChart.render("cert-manager.yaml");
    JsonNode caCertificate = chart.named("Certificate", "mcp-sidecar-ca");
    JsonNode caIssuer = chart.named("Issuer", "mcp-sidecar-ca");
    JsonNode selfSigned = chart.named("Issuer", "mcp-sidecar-selfsigned");
    JsonNode serving = chart.named("Certificate", "mcp-sidecar-injector");

    assertThat(selfSigned.at("/spec/selfSigned").isObject()).isTrue();
    assertThat(caCertificate.at("/spec/isCA").asBoolean()).isTrue();
    assertThat(caCertificate.at("/spec/issuerRef/name").asText())
        .isEqualTo("mcp-sidecar-selfsigned");
    assertThat(caIssuer.at("/spec/ca/secretName").asText())
        .isEqualTo(caCertificate.at("/spec/secretName").asText());
    assertThat(serving.at("/spec/issuerRef/name").asText()).isEqualTo("mcp-sidecar-ca");
    assertThat(serving.at("/spec/issuerRef/kind").asText()).isEqualTo("Issuer");
  }

  private static X509Certificate certificate(String base64Pem) throws Exception {
    byte[] pem = Base64.getDecoder().decode(base64Pem);
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }
}
