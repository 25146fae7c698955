package io.mcpsidecar.injector.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Admission metrics: {@code mcp_injector_admissions_total{webhook, outcome, reason, dry_run}} and
 * the latency histogram {@code mcp_injector_admission_duration_seconds{webhook}}, whose buckets
 * bracket the 5 ms p99 target and the API server's 10 s default webhook timeout.
 */
@Singleton
public final class AdmissionMetrics {
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(2),
    Duration.ofSeconds(10)
  };

  private final MeterRegistry registry;

  public AdmissionMetrics(MeterRegistry registry) {
    this.registry = registry;
    // registered up front so that dashboards and alerts see both webhooks before any traffic
    for (String webhook : new String[] {"mutate", "validate"}) {
      timer(webhook);
    }
  }

  /** Counts one admission decision. */
  public void count(String webhook, String outcome, String reason, boolean dryRun) {
    Counter.builder("mcp.injector.admissions")
        .description("Admission reviews answered, by webhook, outcome and reason")
        .tag("webhook", webhook)
        .tag("outcome", outcome)
        .tag("reason", reason)
        .tag("dry_run", String.valueOf(dryRun))
        .register(registry)
        .increment();
  }

  /** Records how long one admission took, from body received to response written. */
  public void time(String webhook, long nanos) {
    timer(webhook).record(Duration.ofNanos(nanos));
  }

  private Timer timer(String webhook) {
    return Timer.builder("mcp.injector.admission.duration")
        .description("Time to answer one admission review")
        .tag("webhook", webhook)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
