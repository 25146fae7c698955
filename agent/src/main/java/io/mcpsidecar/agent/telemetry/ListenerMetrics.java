package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.transport.ListenerGuard;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The MCP listener's bounds at work: open and refused connections, connections and requests that
 * ran out of time, request-body bytes held. Read from the listener's own counters at scrape time.
 */
public final class ListenerMetrics {

  private ListenerMetrics() {}

  public static void bind(ListenerGuard guard, MeterRegistry registry) {
    Gauge.builder("mcp.sidecar.listener.connections", guard, ListenerGuard::openConnections)
        .description("Client connections open on the MCP listener")
        .register(registry);
    FunctionCounter.builder(
            "mcp.sidecar.listener.connections.refused", guard, ListenerGuard::refusedConnections)
        .description("Connections closed at once because listen.maxConnections were open")
        .register(registry);
    for (ListenerGuard.Phase phase : ListenerGuard.Phase.values()) {
      FunctionCounter.builder("mcp.sidecar.listener.timeouts", guard, g -> g.timeouts(phase))
          .description(
              "Connections or requests the MCP listener cut for taking too long, by phase"
                  + " (header, body, idle)")
          .tag("phase", phase.label())
          .register(registry);
    }
    Gauge.builder("mcp.sidecar.listener.buffered", guard, ListenerGuard::bufferedBytes)
        .description("Request-body bytes held over all requests in flight")
        .baseUnit("bytes")
        .register(registry);
  }
}
