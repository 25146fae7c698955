package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.config.TracingConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Builds the tracer from config, in the composition root (no global OpenTelemetry instance). Export
 * runs on the batch processor's own thread; a collector that is down costs calls nothing.
 *
 * <p>The tracer exists from the start, but the exporter (the OTLP client and its HTTP stack, a
 * second of class loading on one CPU) is built only by {@link #startExport()}, which the agent
 * calls on a worker thread once its listeners are up. Spans that end before then wait in a bounded
 * buffer ({@code maxQueueSize}) and go to the batch processor when it exists; spans that do not
 * fit, or are still waiting when the agent stops, count in {@code mcp.sidecar.spans.dropped}.
 */
public final class TracingSetup implements AutoCloseable {

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final DeferredProcessor deferred;
  private final Supplier<SpanProcessor> processorFactory;
  private boolean exportStarted;
  private boolean closed;

  private TracingSetup(
      SdkTracerProvider provider,
      DeferredProcessor deferred,
      Supplier<SpanProcessor> processorFactory) {
    this.provider = provider;
    this.tracer = provider.get("io.mcpsidecar.agent");
    this.deferred = deferred;
    this.processorFactory = processorFactory;
  }

  /**
   * A tracer exporting over OTLP as configured once {@link #startExport()} has run, or a no-op one
   * when tracing is off.
   */
  public static TracingSetup of(TracingConfig configured, MeterRegistry registry) {
    Map<String, String> env = System.getenv();
    TracingConfig config = OtelEnvironment.apply(configured, env);
    if (!config.enabled()) {
      // Nothing recorded or exported, but every call still gets real trace and span ids, so logs
      // correlate and the server receives a traceparent.
      SdkTracerProvider quiet = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build();
      return new TracingSetup(quiet, null, null);
    }
    Map<String, String> headers = OtelEnvironment.headers(env);
    // The exporter is built later; a bad endpoint still fails the start, as the builder would.
    String scheme = config.endpoint().getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "Invalid endpoint, must start with http:// or https://: " + config.endpoint());
    }
    return deferred(config, registry, () -> otlpExporter(config, headers));
  }

  private static SpanExporter otlpExporter(TracingConfig config, Map<String, String> headers) {
    if (config.protocol() == TracingConfig.Protocol.HTTP_PROTOBUF) {
      var builder =
          OtlpHttpSpanExporter.builder()
              .setEndpoint(config.endpoint().toString())
              .setTimeout(config.exportTimeout().toMillis(), TimeUnit.MILLISECONDS);
      headers.forEach(builder::addHeader);
      return builder.build();
    }
    var builder =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(config.endpoint().toString())
            .setTimeout(config.exportTimeout().toMillis(), TimeUnit.MILLISECONDS);
    headers.forEach(builder::addHeader);
    return builder.build();
  }

  /** A tracer exporting to {@code exporter} once {@link #startExport()} has run. */
  public static TracingSetup of(
      TracingConfig config, MeterRegistry registry, SpanExporter exporter) {
    return deferred(config, registry, () -> exporter);
  }

  /**
   * A tracer whose exporter {@code exporterFactory} builds when {@link #startExport()} runs; until
   * then ended spans are buffered (up to {@code maxQueueSize}).
   */
  public static TracingSetup deferred(
      TracingConfig config, MeterRegistry registry, Supplier<SpanExporter> exporterFactory) {
    Counter dropped =
        Counter.builder("mcp.sidecar.spans.dropped")
            .description("Spans that could not be exported (collector down or too slow)")
            .register(registry);
    DeferredProcessor deferred = new DeferredProcessor(config.maxQueueSize(), dropped);
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
            .addSpanProcessor(deferred)
            .build();
    Supplier<SpanProcessor> processor =
        () ->
            BatchSpanProcessor.builder(new CountingExporter(exporterFactory.get(), dropped))
                .setMaxQueueSize(config.maxQueueSize())
                .setExporterTimeout(config.exportTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build();
    return new TracingSetup(provider, deferred, processor);
  }

  /**
   * Builds the exporter and hands it the spans buffered so far. Blocking (class loading): call it
   * off the event loop. Does nothing when tracing is off, after the first call or after {@link
   * #close()}.
   */
  public synchronized void startExport() {
    if (deferred == null || exportStarted || closed) {
      return;
    }
    exportStarted = true;
    SpanProcessor processor;
    try {
      processor = processorFactory.get();
    } catch (RuntimeException | Error e) {
      deferred.shutdown(); // nothing will export: what waits, and what comes, counts as dropped
      throw e;
    }
    deferred.install(processor);
  }

  public Tracer tracer() {
    return tracer;
  }

  public TextMapPropagator propagator() {
    return W3CTraceContextPropagator.getInstance();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    provider.shutdown().join(5, TimeUnit.SECONDS);
  }

  /**
   * Passes ended spans to the batch processor once it is installed; until then keeps up to {@code
   * capacity} of them and counts the rest as dropped. Spans still waiting at shutdown are dropped
   * and counted too.
   */
  static final class DeferredProcessor implements SpanProcessor {
    private final int capacity;
    private final Counter dropped;
    private final Object lock = new Object();
    private ArrayDeque<ReadableSpan> waiting = new ArrayDeque<>();
    private volatile SpanProcessor delegate;

    DeferredProcessor(int capacity, Counter dropped) {
      this.capacity = capacity;
      this.dropped = dropped;
    }

    void install(SpanProcessor processor) {
      synchronized (lock) {
        if (waiting == null) { // already shut down
          processor.shutdown();
          return;
        }
        // Handed over under the lock, so no span ended meanwhile overtakes the buffered ones.
        for (ReadableSpan span : waiting) {
          processor.onEnd(span);
        }
        waiting = null;
        delegate = processor;
      }
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
      SpanProcessor d = delegate;
      if (d != null && d.isStartRequired()) {
        d.onStart(parentContext, span);
      }
    }

    @Override
    public boolean isStartRequired() {
      return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      SpanProcessor d = delegate;
      if (d == null) {
        synchronized (lock) {
          d = delegate;
          if (d == null) {
            if (!span.getSpanContext().isSampled()) {
              return;
            }
            if (waiting != null && waiting.size() < capacity) {
              waiting.add(span);
            } else {
              dropped.increment();
            }
            return;
          }
        }
      }
      d.onEnd(span);
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }

    @Override
    public CompletableResultCode forceFlush() {
      SpanProcessor d = delegate;
      return d == null ? CompletableResultCode.ofSuccess() : d.forceFlush();
    }

    @Override
    public CompletableResultCode shutdown() {
      synchronized (lock) {
        if (waiting != null) {
          dropped.increment(waiting.size());
          waiting = null;
        }
      }
      SpanProcessor d = delegate;
      return d == null ? CompletableResultCode.ofSuccess() : d.shutdown();
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
