package io.mcpsidecar.injector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpsidecar.injector.support.InjectorProcess;
import io.mcpsidecar.injector.support.TestCertificates;
import io.mcpsidecar.injector.support.TestJson;
import io.mcpsidecar.injector.support.TlsFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped artifact: {@code java -jar target/mcp-sidecar-injector.jar} starts, serves HTTPS with
 * PEM files from {@code WEBHOOK_TLS_*}, injects a pod, runs with the Micronaut AOT optimizations it
 * was built with, and stops cleanly on SIGTERM.
 */
class InjectorJarIT {
  static final Path JAR =
      Path.of(System.getProperty("injector.jar", "target/mcp-sidecar-injector.jar"));
  static final String AOT_CONFIGURER = "io.mcpsidecar.injector.aot.AOTApplicationContextConfigurer";

  @Test
  void containsTheMicronautAotOptimizations() throws Exception {
    try (var jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getEntry(AOT_CONFIGURER.replace('.', '/') + ".class")).isNotNull();
      var services =
          jar.getEntry("META-INF/services/io.micronaut.context.ApplicationContextConfigurer");
      assertThat(new String(jar.getInputStream(services).readAllBytes(), UTF_8))
          .contains(AOT_CONFIGURER);
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("io.mcpsidecar.injector.Application");
    }
  }

  @Test
  void printsItsVersionRevisionAndRuntime() throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--version")
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), UTF_8).trim();
    assertThat(process.waitFor()).isZero();
    assertThat(out)
        .matches(
            "mcp-sidecar-injector \\d+\\.\\d+\\.\\d+\\S* \\(revision ([0-9a-f]{40}|unknown), Java \\S+\\)");
  }

  @Test
  void startsFromTheJarInjectsAPodAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    var ca = TestCertificates.ca();
    Files.createDirectories(dir.resolve("tls"));
    var tls = new TlsFiles(dir.resolve("tls"));
    tls.issue(ca);
    Path classLog = dir.resolve("classes.log");
    Map<String, String> env =
        Map.of(
            "WEBHOOK_TLS_KEY", tls.key().toString(),
            "WEBHOOK_TLS_CERT", tls.cert().toString(),
            "POD_NAMESPACE", "mcp-sidecar-system");
    try (var injector =
        InjectorProcess.start(
            List.of("-jar", JAR.toString()),
            List.of("-Xlog:class+load=info:file=" + classLog),
            env,
            ca,
            dir.resolve("injector.log"),
            Duration.ofSeconds(60))) {
      System.out.println(
          "injector jar served HTTPS after " + injector.startup().toMillis() + " ms");
      JsonNode pod =
          TestJson.parse(
                  Files.readAllBytes(
                      Path.of("src/test/resources/golden/deployment-pod.input.json")))
              .path("pod");
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .sslContext(TestCertificates.trusting(ca))
              .build()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("https://localhost:" + injector.port() + "/mutate"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              TestJson.review("jar-1", "CREATE", "weather", pod).toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode review = TestJson.parse(response.body());
      assertThat(review.at("/response/uid").asText()).isEqualTo("jar-1");
      assertThat(review.at("/response/patchType").asText()).isEqualTo("JSONPatch");
      assertThat(injector.stop()).as("exit code after SIGTERM").isIn(0, 143);
    }
    assertThat(Files.readString(classLog)).as("AOT configurer loaded").contains(AOT_CONFIGURER);
    assertThat(Files.readString(dir.resolve("injector.log"))).contains("Startup completed");
  }
}
