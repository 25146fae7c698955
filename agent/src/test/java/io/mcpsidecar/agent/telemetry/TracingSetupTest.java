package io.mcpsidecar.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpsidecar.config.TracingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Spans that end before the exporter exists: buffered, then exported, or counted as dropped. */
class TracingSetupTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  // keeps what was exported after shutdown (the in-memory exporter forgets it then)
  private final SpanExporter exporter =
      new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
          return spans.export(batch);
        }

        @Override
        public CompletableResultCode flush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }
      };

  private static TracingConfig config(int maxQueueSize) {
    return new TracingConfig(
        true,
        URI.create("http://localhost:4317"),
        TracingConfig.Protocol.GRPC,
        1.0,
        "test",
        Duration.ofSeconds(1),
        maxQueueSize,
        false);
  }

  private double dropped() {
    return registry.get("mcp.sidecar.spans.dropped").counter().count();
  }

  private static void endSpans(TracingSetup tracing, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      tracing.tracer().spanBuilder(prefix + i).startSpan().end();
    }
  }

  @Test
  void spansEndedBeforeTheExporterIsBuiltAreExportedOnceItIs() {
    AtomicInteger built = new AtomicInteger();
    TracingSetup tracing =
        TracingSetup.deferred(
            config(64),
            registry,
            () -> {
              built.incrementAndGet();
              return exporter;
            });
    endSpans(tracing, "early-", 3);
    assertThat(built).hasValue(0);
    assertThat(spans.getFinishedSpanItems()).isEmpty();

    tracing.startExport();
    endSpans(tracing, "late-", 1);
    tracing.startExport(); // a second call builds nothing more
    tracing.close(); // flushes
    assertThat(built).hasValue(1);
    assertThat(spans.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly("early-0", "early-1", "early-2", "late-0");
    assertThat(dropped()).isZero();
  }

  @Test
  void spansBeyondTheQueueSizeBeforeTheExporterExistsAreCountedAsDropped() {
    TracingSetup tracing = TracingSetup.deferred(config(4), registry, () -> exporter);
    endSpans(tracing, "early-", 7);
    assertThat(dropped()).isEqualTo(3);

    tracing.startExport();
    tracing.close();
    assertThat(spans.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly("early-0", "early-1", "early-2", "early-3");
    assertThat(dropped()).isEqualTo(3);
  }

  @Test
  void spansStillWaitingWhenStoppedBeforeTheExporterExistsAreCountedAsDropped() {
    AtomicInteger built = new AtomicInteger();
    TracingSetup tracing =
        TracingSetup.deferred(
            config(64),
            registry,
            () -> {
              built.incrementAndGet();
              return exporter;
            });
    endSpans(tracing, "early-", 5);
    tracing.close();
    tracing.startExport(); // too late: nothing is built
    assertThat(built).hasValue(0);
    assertThat(dropped()).isEqualTo(5);
  }

  @Test
  void anExporterThatCannotBeBuiltDropsWhatWaitsAndWhatComes() {
    TracingSetup tracing =
        TracingSetup.deferred(
            config(64),
            registry,
            () -> {
              throw new IllegalStateException("no exporter");
            });
    endSpans(tracing, "early-", 2);
    assertThatThrownBy(tracing::startExport).hasMessage("no exporter");
    endSpans(tracing, "late-", 1);
    assertThat(dropped()).isEqualTo(3);
    tracing.close();
  }

  @Test
  void spansThatAreNotSampledAreNeitherBufferedNorDropped() {
    TracingConfig none =
        new TracingConfig(
            true,
            URI.create("http://localhost:4317"),
            TracingConfig.Protocol.GRPC,
            0.0,
            "test",
            Duration.ofSeconds(1),
            1,
            false);
    TracingSetup tracing = TracingSetup.deferred(none, registry, () -> exporter);
    endSpans(tracing, "unsampled-", 5);
    tracing.startExport();
    tracing.close();
    assertThat(spans.getFinishedSpanItems()).isEmpty();
    assertThat(dropped()).isZero();
  }

  @Test
  void anEndpointThatIsNotHttpStillFailsTheStart() {
    TracingConfig bad =
        new TracingConfig(
            true,
            URI.create("collector:4317"),
            TracingConfig.Protocol.GRPC,
            1.0,
            "test",
            Duration.ofSeconds(1),
            64,
            false);
    assertThatThrownBy(() -> TracingSetup.of(bad, registry))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
