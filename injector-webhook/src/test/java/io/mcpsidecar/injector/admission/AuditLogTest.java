package io.mcpsidecar.injector.admission;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpsidecar.injector.catalog.CatalogSource;
import io.mcpsidecar.injector.config.FilePolling;
import io.mcpsidecar.injector.config.WebhookSettings;
import io.mcpsidecar.injector.mutation.PodInjector;
import io.mcpsidecar.injector.support.TestJson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The audit log cannot be forged through a review: whatever a pod's name, namespace, containers or
 * images hold (the webhook sees a pod before the API server validates it), each review writes
 * exactly one log line, as the production layout prints it.
 */
class AuditLogTest {
  static final String FORGED = "\nadmission webhook=validate uid=forged outcome=allowed";

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FilePolling polling = new FilePolling();
  final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  final PatternLayout layout = new PatternLayout();
  Logger audit;

  @BeforeEach
  void capture() {
    audit = (Logger) LoggerFactory.getLogger("io.mcpsidecar.injector.audit");
    LoggerContext context = audit.getLoggerContext();
    captured.setContext(context);
    captured.start();
    audit.addAppender(captured);
    // the pattern of src/main/resources/logback.xml
    layout.setContext(context);
    layout.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{30} - %msg%n");
    layout.start();
  }

  @AfterEach
  void release() {
    audit.detachAppender(captured);
    polling.close();
  }

  /** The one line written, as the console shows it, after checking that it is only one. */
  String oneLine() {
    assertThat(captured.list).hasSize(1);
    String text = layout.doLayout(captured.list.get(0));
    assertThat(text).endsWith("\n");
    String line = text.substring(0, text.length() - 1);
    assertThat(line).doesNotContain("\n", "\r", "\u2028", "\u0085");
    return line;
  }

  @Test
  void writesOneLineForAPodWhoseNameAndNamespaceHoldNewlines() {
    var handler =
        new MutationHandler(
            new PodInjector(WebhookSettings.parse(Map.of(), "t").injection()),
            new AdmissionMetrics(registry));
    var pod =
        TestJson.parse(
            "{\"metadata\":{\"name\":\"weather-0\",\"labels\":{\"mcp-sidecar.io/inject\":\"true\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"s\",\"image\":\"x\","
                + "\"ports\":[{\"name\":\"mcp\",\"containerPort\":8080}]}]}}");
    ((ObjectNode) pod.path("metadata")).put("name", "weather-0" + FORGED);

    Reply reply =
        handler.handle(
            TestJson.review("u-1", "CREATE", "weather\r\nx", pod).toString().getBytes(UTF_8));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(oneLine())
        .contains(
            "pod=\"weather-0\\nadmission webhook=validate uid=forged outcome=allowed\"",
            "namespace=weather\\r\\nx",
            "outcome=injected");
  }

  @Test
  void writesOneLineForContainerNamesAndImagesThatHoldControlCharacters(@TempDir Path dir)
      throws Exception {
    Path catalog = dir.resolve("catalog.yaml");
    Files.writeString(catalog, "servers: []\n");
    var settings = WebhookSettings.parse(Map.of("WEBHOOK_CATALOG_FILE", catalog.toString()), "t");
    var handler =
        new ValidationHandler(
            new CatalogSource(settings, polling, registry),
            new PodInjector(settings.injection()),
            settings,
            new AdmissionMetrics(registry));
    var pod =
        (ObjectNode)
            TestJson.parse(
                "{\"metadata\":{\"name\":\"p\",\"labels\":{\"mcp-sidecar.io/mcp-server\":\"true\"}},"
                    + "\"spec\":{\"containers\":[{}]}}");
    ((ObjectNode) pod.at("/spec/containers/0"))
        .put("name", "server\u2028" + FORGED)
        .put("image", "evil:1\u0085\u001b[2K" + FORGED);

    Reply reply =
        handler.handle(
            TestJson.review("u\n2", "CREATE", "weather", pod).toString().getBytes(UTF_8));

    assertThat(TestJson.parse(reply.body()).at("/response/allowed").asBoolean()).isFalse();
    assertThat(oneLine())
        .contains("uid=u\\n2", "outcome=denied")
        .contains("server\\u2028\\nadmission webhook=validate")
        .contains("evil:1\\u0085\\u001b[2K\\nadmission");
  }

  @Test
  void writesOneLineForAMalformedReviewThatEchoesAField() {
    var handler =
        new MutationHandler(
            new PodInjector(WebhookSettings.parse(Map.of(), "t").injection()),
            new AdmissionMetrics(registry));
    ObjectNode review =
        TestJson.review("u-3", "CREATE", "ns", TestJson.parse("{\"metadata\":{},\"spec\":{}}"));
    ((ObjectNode) review.path("request")).put("operation", "CREATE" + FORGED.substring(0, 30));

    Reply reply = handler.handle(review.toString().getBytes(UTF_8));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(oneLine())
        .contains("outcome=malformed")
        .contains("problem=\"request.operation: \\\"CREATE\\nadmission");
  }

  @Test
  void cutsLongValuesAndSaysHowMuchWasLeftOut() {
    var handler =
        new MutationHandler(
            new PodInjector(WebhookSettings.parse(Map.of(), "t").injection()),
            new AdmissionMetrics(registry));
    var pod =
        TestJson.parse("{\"metadata\":{\"name\":\"" + "a".repeat(10_000) + "\"},\"spec\":{}}");

    handler.handle(TestJson.review("u-4", "CREATE", "ns", pod).toString().getBytes(UTF_8));

    assertThat(oneLine())
        .contains("pod=\"" + "a".repeat(LogLine.MAX_CHARS) + "...(+9744 chars)\"")
        .hasSizeLessThan(LogLine.MAX_CHARS + 400);
  }
}
