package io.mcpsidecar.agent.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The checks' metrics, labelled by dependency name (bounded: the configured dependencies and the
 * agent's own); the up gauge also says whether the dependency is critical, so that alerts can page
 * for those alone. A check that a reload removes or changes leaves the gauge, so no stale series
 * stays.
 */
public final class HealthMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();
  private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

  public HealthMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void ran(String dependency, boolean critical, long nanos, CheckState.State state) {
    Timer.builder("mcp.sidecar.dependency.check.duration")
        .description("Time one dependency check took, failed and timed-out ones included")
        .tag("dependency", dependency)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    gauge(dependency, critical).set(state == CheckState.State.UP ? 1 : 0);
  }

  void transition(String dependency, CheckState.State to) {
    Counter.builder("mcp.sidecar.dependency.transitions")
        .description("Changes of a dependency's state after its thresholds (to up or down)")
        .tag("dependency", dependency)
        .tag("to", to.name().toLowerCase(java.util.Locale.ROOT))
        .register(registry)
        .increment();
  }

  /** A call of a down dependency's tool answered by the agent instead of the server. */
  void failFast(String dependency) {
    Counter.builder("mcp.sidecar.dependency.fail.fast")
        .description("tools/call answered at once because a dependency of the tool is down")
        .tag("dependency", dependency)
        .register(registry)
        .increment();
  }

  /** Registers the up gauge at 0 before the first check ends. */
  void declare(String dependency, boolean critical) {
    gauge(dependency, critical);
  }

  void forget(String dependency) {
    Gauge gauge = gauges.remove(dependency);
    up.remove(dependency);
    if (gauge != null) {
      registry.remove(gauge);
    }
  }

  private AtomicInteger gauge(String dependency, boolean critical) {
    return up.computeIfAbsent(
        dependency,
        name -> {
          AtomicInteger value = new AtomicInteger();
          gauges.put(
              name,
              Gauge.builder("mcp.sidecar.dependency.up", value, AtomicInteger::get)
                  .description("1 while a dependency's check counts as up, 0 while down or unknown")
                  .tag("dependency", name)
                  .tag("critical", Boolean.toString(critical))
                  .strongReference(true)
                  .register(registry));
          return value;
        });
  }
}
