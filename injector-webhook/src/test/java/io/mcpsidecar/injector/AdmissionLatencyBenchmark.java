package io.mcpsidecar.injector;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.mcpsidecar.injector.admission.AdmissionMetrics;
import io.mcpsidecar.injector.admission.MutationHandler;
import io.mcpsidecar.injector.admission.Reply;
import io.mcpsidecar.injector.mutation.InjectionSettings;
import io.mcpsidecar.injector.mutation.PodInjector;
import io.mcpsidecar.injector.support.RunningWebhook;
import io.mcpsidecar.injector.support.TestCertificates;
import io.mcpsidecar.injector.support.TestJson;
import io.mcpsidecar.injector.support.TlsFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission latency, measured, not asserted: run on request with {@code ./mvnw -B -pl
 * injector-webhook verify -Pinjector-benchmarks}. Results go to stdout and to {@code
 * target/benchmarks/injector-latency.md}.
 *
 * <p>In-process: the whole {@code POST /mutate} handling below HTTP (parse the AdmissionReview,
 * decide, build the patch, serialise and base64 the response, count and time it). Over HTTPS: the
 * same through Micronaut/Netty and TLS 1.3 on loopback, one keep-alive connection, sequential.
 */
@Tag("benchmark")
class AdmissionLatencyBenchmark {
  static final int WARMUP = 20_000;
  static final int MEASURED = 100_000;
  static final int HTTPS_WARMUP = 3_000;
  static final int HTTPS_MEASURED = 10_000;

  final List<String> report = new ArrayList<>();

  static byte[] review(String golden) throws Exception {
    var input =
        TestJson.parse(
            Files.readAllBytes(Path.of("src/test/resources/golden", golden + ".input.json")));
    return TestJson.review("bench", "CREATE", input.path("namespace").asText(), input.path("pod"))
        .toString()
        .getBytes(UTF_8);
  }

  @Test
  void inProcessAdmissionLatency() throws Exception {
    var handler =
        new MutationHandler(
            new PodInjector(InjectionSettings.defaults("0.1.0")),
            new AdmissionMetrics(new SimpleMeterRegistry()));
    for (String golden : List.of("deployment-pod", "several-containers", "host-network")) {
      byte[] body = review(golden);
      measure(
          "in-process /mutate, " + golden + " (" + body.length + " B)",
          WARMUP,
          MEASURED,
          () -> {
            Reply reply = handler.handle(body);
            return reply.status();
          });
    }
    write();
  }

  @Test
  void httpsAdmissionLatency(@TempDir Path dir) throws Exception {
    var ca = TestCertificates.ca();
    Files.createDirectories(dir.resolve("tls"));
    var tls = new TlsFiles(dir.resolve("tls"));
    tls.issue(ca);
    try (var webhook = new RunningWebhook(tls, ca, Map.of())) {
      HttpClient client = webhook.client();
      HttpRequest request =
          HttpRequest.newBuilder(webhook.uri("/mutate"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(review("deployment-pod")))
              .build();
      measure(
          "HTTPS /mutate over loopback, deployment-pod",
          HTTPS_WARMUP,
          HTTPS_MEASURED,
          () -> {
            try {
              return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    }
    write();
  }

  private void measure(String name, int warmup, int measured, IntSupplier call) {
    for (int i = 0; i < warmup; i++) {
      check(call.getAsInt());
    }
    var histogram = new Histogram(3);
    for (int i = 0; i < measured; i++) {
      long start = System.nanoTime();
      check(call.getAsInt());
      histogram.recordValue(System.nanoTime() - start);
    }
    String line =
        String.format(
            "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f |",
            name,
            measured,
            ms(histogram.getValueAtPercentile(50)),
            ms(histogram.getValueAtPercentile(90)),
            ms(histogram.getValueAtPercentile(99)),
            ms(histogram.getValueAtPercentile(99.9)),
            ms(histogram.getMaxValue()));
    report.add(line);
    System.out.println(line);
  }

  private static void check(int status) {
    if (status != 200) {
      throw new IllegalStateException("status " + status);
    }
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  private void write() throws Exception {
    Path out = Path.of("target/benchmarks/injector-latency.md");
    Files.createDirectories(out.getParent());
    var text = new StringBuilder();
    if (!Files.exists(out)) {
      text.append("| scenario | samples | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n");
      text.append("|---|---|---|---|---|---|---|\n");
    }
    report.forEach(line -> text.append(line).append('\n'));
    Files.writeString(
        out,
        text,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }
}
