package io.mcpsidecar.agent.config;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.EdgeConfig;
import io.mcpsidecar.config.TelemetryConfig;
import io.mcpsidecar.config.UpstreamConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings a reload cannot change: the listeners are bound and the connection pool is sized at
 * start. A reload that changes them applies everything else and keeps these, and says so.
 */
final class LiveSettings {

  private LiveSettings() {}

  static List<String> restartRequired(AgentConfig current, AgentConfig next) {
    List<String> changed = new ArrayList<>();
    if (!current.listen().equals(next.listen())) {
      changed.add("listen");
    }
    if (!current.admin().equals(next.admin())) {
      changed.add("admin");
    }
    if (current.edge().maxHeaderBytes() != next.edge().maxHeaderBytes()) {
      changed.add("edge.maxHeaderBytes");
    }
    if (current.upstream().maxConnections() != next.upstream().maxConnections()) {
      changed.add("upstream.maxConnections");
    }
    if (!current.telemetry().tracing().equals(next.telemetry().tracing())) {
      changed.add("telemetry.tracing");
    }
    return changed;
  }

  static AgentConfig keepRestartOnly(AgentConfig current, AgentConfig next) {
    UpstreamConfig u = next.upstream();
    EdgeConfig e = next.edge();
    return new AgentConfig(
        current.listen(),
        current.admin(),
        new UpstreamConfig(
            u.url(),
            u.connectTimeout(),
            u.responseTimeout(),
            current.upstream().maxConnections(),
            u.healthInterval()),
        new EdgeConfig(
            e.maxBodyBytes(),
            e.allowedOrigins(),
            e.maxHeaderCount(),
            current.edge().maxHeaderBytes(),
            e.maxBatchSize()),
        next.shutdown(),
        next.logging(),
        new TelemetryConfig(current.telemetry().tracing(), next.telemetry().metrics()));
  }
}
