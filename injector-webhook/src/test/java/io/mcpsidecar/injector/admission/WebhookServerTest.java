package io.mcpsidecar.injector.admission;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.fge.jsonpatch.JsonPatch;
import io.mcpsidecar.injector.support.PodSchema;
import io.mcpsidecar.injector.support.RunningWebhook;
import io.mcpsidecar.injector.support.TestCertificates;
import io.mcpsidecar.injector.support.TestJson;
import io.mcpsidecar.injector.support.TlsFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook end to end over real HTTPS: real AdmissionReview v1 payloads, a certificate made in
 * the test and rotated on disk the way the kubelet rotates a Secret, while the server runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookServerTest {
  static final String D1 = "sha256:" + "a".repeat(64);

  TestCertificates.Issued ca;
  TlsFiles tls;
  Path catalog;
  RunningWebhook webhook;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    ca = TestCertificates.ca();
    Files.createDirectories(dir.resolve("tls"));
    tls = new TlsFiles(dir.resolve("tls"));
    tls.issue(ca);
    catalog = dir.resolve("catalog.yaml");
    Files.writeString(
        catalog,
        """
        servers:
          - repository: ghcr.io/acme/weather-mcp
            owner: team-weather
            slo: 99.9% of tools/call under 1 s
            sbom: https://sbom.acme.example/weather-mcp.cdx.json
            digests: [DIGEST]
        """
            .replace("DIGEST", D1));
    webhook =
        new RunningWebhook(
            tls,
            ca,
            Map.of(
                "webhook.catalog.file", catalog.toString(), "webhook.max.request.bytes", "262144"));
  }

  @AfterAll
  void stop() {
    if (webhook != null) {
      webhook.close();
    }
  }

  static JsonNode goldenPod(String name) throws IOException {
    return TestJson.parse(
            Files.readAllBytes(Path.of("src/test/resources/golden", name + ".input.json")))
        .path("pod");
  }

  static byte[] review(String uid, JsonNode pod) {
    return TestJson.review(uid, "CREATE", "weather", pod).toString().getBytes(UTF_8);
  }

  @Test
  void injectsAPodOverHttpsWithABase64JsonPatch() throws Exception {
    JsonNode pod = goldenPod("deployment-pod");
    HttpResponse<String> response = webhook.post("/mutate", review("uid-42", pod));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode review = TestJson.parse(response.body());
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(review.at("/response/uid").asText()).isEqualTo("uid-42");
    assertThat(review.at("/response/allowed").asBoolean()).isTrue();
    assertThat(review.at("/response/patchType").asText()).isEqualTo("JSONPatch");
    JsonNode patched = JsonPatch.fromJson(TestJson.patchOf(review)).apply(pod);
    assertThat(PodSchema.violations(patched)).isEmpty();
    assertThat(patched.at("/spec/initContainers/0/name").asText()).isEqualTo("mcp-sidecar");
  }

  @Test
  void honoursDryRunWithoutSideEffectsAndCountsIt() throws Exception {
    ObjectNode review = TestJson.review("uid-dry", "CREATE", "weather", goldenPod("bare-pod"));
    ((ObjectNode) review.path("request")).put("dryRun", true);
    HttpResponse<String> response = webhook.post("/mutate", review.toString().getBytes(UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestJson.patchOf(TestJson.parse(response.body()))).isNotNull();
    assertThat(webhook.get("/metrics").body())
        .contains(
            "mcp_injector_admissions_total{dry_run=\"true\",outcome=\"injected\",reason=\"injected\",webhook=\"mutate\"}");
  }

  @Test
  void skipsWithAReasonAnnotationAWarningAndAMetricLabel() throws Exception {
    HttpResponse<String> response =
        webhook.post("/mutate", review("uid-skip", goldenPod("host-network")));
    JsonNode review = TestJson.parse(response.body());
    assertThat(review.at("/response/allowed").asBoolean()).isTrue();
    assertThat(review.at("/response/warnings/0").asText()).contains("hostNetwork");
    assertThat(TestJson.patchOf(review).toString()).contains("host-network");
    assertThat(webhook.get("/metrics").body())
        .contains("outcome=\"skipped\",reason=\"host-network\",webhook=\"mutate\"");
  }

  @Test
  void deniesAPodWithInvalidAnnotationsListingEveryProblem() throws Exception {
    HttpResponse<String> response =
        webhook.post("/mutate", review("uid-bad", goldenPod("invalid-annotations")));
    JsonNode review = TestJson.parse(response.body());
    assertThat(review.at("/response/allowed").asBoolean()).isFalse();
    assertThat(review.at("/response/status/code").asInt()).isEqualTo(400);
    assertThat(review.at("/response/status/message").asText())
        .contains("listen-port", "log-level", "native-sidecar", "memory-request");
  }

  @Test
  void catalogAdmitsApprovedServersAndDeniesOthersSayingWhichImageAndWhy() throws Exception {
    JsonNode approved =
        TestJson.parse(
            "{\"metadata\":{\"name\":\"w\",\"labels\":{\"mcp-sidecar.io/mcp-server\":\"true\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"server\",\"image\":\"ghcr.io/acme/weather-mcp@"
                + D1
                + "\"}]}}");
    JsonNode allowed = TestJson.parse(webhook.post("/validate", review("v-1", approved)).body());
    assertThat(allowed.at("/response/allowed").asBoolean()).isTrue();
    assertThat(allowed.at("/response/auditAnnotations/catalog-decision").asText())
        .isEqualTo("allowed");

    JsonNode rogue = goldenPod("deployment-pod"); // labelled for injection, image not catalogued
    JsonNode denied = TestJson.parse(webhook.post("/validate", review("v-2", rogue)).body());
    assertThat(denied.at("/response/uid").asText()).isEqualTo("v-2");
    assertThat(denied.at("/response/allowed").asBoolean()).isFalse();
    assertThat(denied.at("/response/status/code").asInt()).isEqualTo(403);
    assertThat(denied.at("/response/status/message").asText())
        .contains("container \"server\"")
        .contains("is not an approved digest of ghcr.io/acme/weather-mcp");
    assertThat(webhook.get("/metrics").body())
        .contains("outcome=\"denied\",reason=\"digest-not-approved\",webhook=\"validate\"")
        .contains("outcome=\"allowed\",reason=\"approved\",webhook=\"validate\"");
  }

  @Test
  void answersMalformedReviewsWith400AndAMessageNeverAStackTrace() throws Exception {
    for (String body :
        new String[] {
          "",
          "not json",
          "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\"}",
          "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{}}"
        }) {
      HttpResponse<String> response = webhook.post("/mutate", body.getBytes(UTF_8));
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(TestJson.parse(response.body()).path("message").asText())
          .startsWith("malformed AdmissionReview: ");
      assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void letsObjectsOtherThanPodsThroughUnchanged() throws Exception {
    ObjectNode review =
        TestJson.review(
            "uid-dep",
            "CREATE",
            "weather",
            TestJson.parse("{\"metadata\":{\"name\":\"d\"},\"spec\":{}}"));
    ObjectNode request = (ObjectNode) review.path("request");
    request.putObject("kind").put("group", "apps").put("version", "v1").put("kind", "Deployment");
    request
        .putObject("resource")
        .put("group", "apps")
        .put("version", "v1")
        .put("resource", "deployments");
    JsonNode answer =
        TestJson.parse(webhook.post("/mutate", review.toString().getBytes(UTF_8)).body());
    assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
    assertThat(answer.at("/response").has("patch")).isFalse();
  }

  @Test
  void refusesOversizeBodiesWith413AndKeepsServing() throws Exception {
    ObjectNode pod = (ObjectNode) goldenPod("bare-pod");
    ((ObjectNode) pod.path("metadata")).putObject("annotations").put("big", "x".repeat(300_000));
    HttpResponse<String> response = webhook.post("/mutate", review("uid-big", pod));
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(webhook.get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void servesProbesAndPrometheusMetrics() throws Exception {
    assertThat(webhook.get("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = webhook.get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(TestJson.parse(ready.body()).at("/checks/tls/ready").asBoolean()).isTrue();
    assertThat(TestJson.parse(ready.body()).at("/checks/catalog/ready").asBoolean()).isTrue();
    String metrics = webhook.get("/metrics").body();
    assertThat(metrics)
        .contains("# TYPE mcp_injector_admission_duration_seconds histogram")
        .contains("mcp_injector_tls_certificate_expiry_timestamp_seconds")
        .contains("mcp_injector_catalog_entries 1.0");
  }

  @Test
  void exposesItsVersionRevisionAndRuntimeAsBuildInfo() throws Exception {
    String metrics = webhook.get("/metrics").body();
    assertThat(metrics).contains("# TYPE mcp_injector_build_info gauge");
    assertThat(metrics)
        .containsPattern(
            "(?m)^mcp_injector_build_info\\{jdk=\""
                + java.util.regex.Pattern.quote(Runtime.version().toString())
                + "\",revision=\"([0-9a-f]{40}|unknown)\",version=\"\\d+\\.\\d+\\.\\d+[^\"]*\"} 1(\\.0)?$");
  }

  @Test
  void speaksOnlyTls12And13() {
    assertThatThrownBy(
            () ->
                webhook
                    .client("TLSv1.1")
                    .send(
                        HttpRequest.newBuilder(webhook.uri("/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding()))
        .hasRootCauseInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void picksUpARotatedCertificateWithoutARestartAndRefusesABrokenOne() throws Exception {
    BigInteger before = servedSerial();
    TestCertificates.Issued rotated = tls.issue(ca);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> servedSerial().equals(rotated.serial()));
    assertThat(rotated.serial()).isNotEqualTo(before);
    String metrics = webhook.get("/metrics").body();
    assertThat(metrics).contains("mcp_injector_tls_reloads_total{result=\"success\"} 1.0");
    assertThat(gauge(metrics, "mcp_injector_tls_certificate_expiry_timestamp_seconds"))
        .isEqualTo(rotated.certificate().getNotAfter().toInstant().getEpochSecond());

    // a rotation caught half way: the new certificate with the old key
    var next = TestCertificates.server(ca, TestCertificates.ec(), Duration.ofDays(30));
    tls.write(
        TestCertificates.pkcs8Pem(rotated.keys()),
        TestCertificates.certificatePem(next.certificate()));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                webhook
                    .get("/metrics")
                    .body()
                    .contains("mcp_injector_tls_reloads_total{result=\"failure\"} 1.0"));
    assertThat(servedSerial()).isEqualTo(rotated.serial());
    assertThat(webhook.get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void keepsTheLastGoodCatalogWhenAReloadIsInvalidAndTakesTheNextGoodOne() throws Exception {
    String good = Files.readString(catalog);
    Files.writeString(catalog, "servers:\n  - repository: ghcr.io/acme/other\n");
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                webhook
                    .get("/metrics")
                    .body()
                    .contains("mcp_injector_catalog_reloads_total{result=\"failure\"} 1.0"));
    assertThat(webhook.get("/metrics").body()).contains("mcp_injector_catalog_entries 1.0");

    Files.writeString(
        catalog,
        good
            + """
              - repository: ghcr.io/acme/files-mcp
                owner: team-files
                slo: best effort
                provenance: https://ghcr.io/acme/files-mcp/attestations
            """);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> webhook.get("/metrics").body().contains("mcp_injector_catalog_entries 2.0"));
    JsonNode files =
        TestJson.parse(
            "{\"metadata\":{\"name\":\"f\",\"labels\":{\"mcp-sidecar.io/mcp-server\":\"true\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"files\",\"image\":\"ghcr.io/acme/files-mcp:2.0\"}]}}");
    JsonNode answer = TestJson.parse(webhook.post("/validate", review("v-3", files)).body());
    assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
  }

  private static long gauge(String metrics, String name) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .map(line -> (long) Double.parseDouble(line.substring(name.length() + 1)))
        .findFirst()
        .orElseThrow();
  }

  private BigInteger servedSerial() throws Exception {
    HttpResponse<Void> response =
        webhook
            .client()
            .send(
                HttpRequest.newBuilder(webhook.uri("/healthz")).build(),
                HttpResponse.BodyHandlers.discarding());
    return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0])
        .getSerialNumber();
  }
}
