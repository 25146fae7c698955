package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.config.TracingConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds the tracer from config, in the composition root (no global OpenTelemetry instance). Export
 * runs on the batch processor's own thread; a collector that is down costs calls nothing.
 */
public final class TracingSetup implements AutoCloseable {

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private TracingSetup(SdkTracerProvider provider, Tracer tracer) {
    this.provider = provider;
    this.tracer = tracer;
  }

  /** A tracer exporting over OTLP as configured, or a no-op one when tracing is off. */
  public static TracingSetup of(TracingConfig configured, MeterRegistry registry) {
    Map<String, String> env = System.getenv();
    TracingConfig config = OtelEnvironment.apply(configured, env);
    if (!config.enabled()) {
      // Nothing recorded or exported, but every call still gets real trace and span ids, so logs
      // correlate and the server receives a traceparent.
      SdkTracerProvider quiet = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build();
      return new TracingSetup(quiet, quiet.get("io.mcpsidecar.agent"));
    }
    Map<String, String> headers = OtelEnvironment.headers(env);
    SpanExporter exporter;
    if ("http/protobuf".equals(config.protocol())) {
      var builder =
          OtlpHttpSpanExporter.builder()
              .setEndpoint(config.endpoint().toString())
              .setTimeout(config.exportTimeout().toMillis(), TimeUnit.MILLISECONDS);
      headers.forEach(builder::addHeader);
      exporter = builder.build();
    } else {
      var builder =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint(config.endpoint().toString())
              .setTimeout(config.exportTimeout().toMillis(), TimeUnit.MILLISECONDS);
      headers.forEach(builder::addHeader);
      exporter = builder.build();
    }
    return of(config, registry, exporter);
  }

  /** A tracer exporting to {@code exporter} (tests pass an in-memory one). */
  public static TracingSetup of(
      TracingConfig config, MeterRegistry registry, SpanExporter exporter) {
    Counter dropped =
        Counter.builder("mcp.sidecar.spans.dropped")
            .description("Spans that could not be exported (collector down or too slow)")
            .register(registry);
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(Resource.create(OtelEnvironment.resourceAttributes(System.getenv())))
                    .merge(
                        Resource.create(
                            Attributes.of(
                                io.opentelemetry.api.common.AttributeKey.stringKey("service.name"),
                                config.serviceName()))))
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplingRatio())))
            .addSpanProcessor(
                BatchSpanProcessor.builder(new CountingExporter(exporter, dropped))
                    .setMaxQueueSize(config.maxQueueSize())
                    .setExporterTimeout(config.exportTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .build())
            .build();
    return new TracingSetup(provider, provider.get("io.mcpsidecar.agent"));
  }

  public Tracer tracer() {
    return tracer;
  }

  public TextMapPropagator propagator() {
    return W3CTraceContextPropagator.getInstance();
  }

  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  /** Counts the spans of every export that failed. */
  private static final class CountingExporter implements SpanExporter {
    private final SpanExporter delegate;
    private final Counter dropped;

    CountingExporter(SpanExporter delegate, Counter dropped) {
      this.delegate = delegate;
      this.dropped = dropped;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode result = delegate.export(spans);
      int count = spans.size();
      result.whenComplete(
          () -> {
            if (!result.isSuccess()) {
              dropped.increment(count);
            }
          });
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
