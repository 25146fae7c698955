package io.mcpsidecar.agent.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** Lets the Prometheus histograms attach the current span's trace id as an exemplar. */
public final class SpanExemplars implements io.prometheus.metrics.tracer.common.SpanContext {

  private static SpanContext current() {
    return Span.current().getSpanContext();
  }

  @Override
  public String getCurrentTraceId() {
    SpanContext context = current();
    return context.isValid() ? context.getTraceId() : null;
  }

  @Override
  public String getCurrentSpanId() {
    SpanContext context = current();
    return context.isValid() ? context.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    return current().isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    Span.current().setAttribute("exemplar", true);
  }
}
