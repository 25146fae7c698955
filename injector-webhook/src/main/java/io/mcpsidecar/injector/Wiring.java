package io.mcpsidecar.injector;

import io.mcpsidecar.injector.config.WebhookSettings;
import io.mcpsidecar.injector.mutation.PodInjector;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** The composition root: settings read once, and the framework-free parts built from them. */
@Factory
public class Wiring {

  @Singleton
  WebhookSettings settings(Environment environment) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String variable : WebhookSettings.VARIABLES.keySet()) {
      environment
          .getProperty(WebhookSettings.propertyName(variable), String.class)
          .ifPresent(value -> values.put(variable, value));
    }
    return WebhookSettings.parse(values, version());
  }

  @Singleton
  PodInjector podInjector(WebhookSettings settings) {
    return new PodInjector(settings.injection());
  }

  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Singleton
  PrometheusMeterRegistry meterRegistry() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BuildInfo.current().register(registry.getPrometheusRegistry());
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /** The version this build writes into pods ({@code mcp-sidecar.io/injected-version}). */
  static String version() {
    return BuildInfo.current().version();
  }
}
