package io.mcpsidecar.agent.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reload outcomes and the state an alert needs: "reloads failing" is a rising failure counter (or a
 * last-success time that stops moving while the file changed).
 */
public final class ReloadMetrics {

  private final Counter success;
  private final Counter failure;
  private final AtomicLong generation = new AtomicLong(1);
  private final AtomicLong lastSuccessSeconds = new AtomicLong(System.currentTimeMillis() / 1000);
  private final AtomicLong restartPending = new AtomicLong();

  public ReloadMetrics(MeterRegistry registry) {
    success =
        Counter.builder("mcp.sidecar.config.reloads")
            .description("Config reloads by outcome")
            .tag("outcome", "success")
            .register(registry);
    failure =
        Counter.builder("mcp.sidecar.config.reloads")
            .description("Config reloads by outcome")
            .tag("outcome", "failure")
            .register(registry);
    Gauge.builder("mcp.sidecar.config.generation", generation, AtomicLong::get)
        .description("Generation of the config in effect (1 = the one the agent started with)")
        .register(registry);
    Gauge.builder("mcp.sidecar.config.last.success.timestamp", lastSuccessSeconds, AtomicLong::get)
        .description("Unix time of the last successful load (start-up or reload)")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("mcp.sidecar.config.restart.pending", restartPending, AtomicLong::get)
        .description("1 when the file changes settings that need a restart to take effect")
        .register(registry);
  }

  void success(long newGeneration, boolean needsRestart) {
    success.increment();
    generation.set(newGeneration);
    lastSuccessSeconds.set(System.currentTimeMillis() / 1000);
    restartPending.set(needsRestart ? 1 : 0);
  }

  void failure() {
    failure.increment();
  }
}
