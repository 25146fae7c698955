package io.mcpsidecar.agent.config;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.EdgeConfig;
import io.mcpsidecar.config.LimitsConfig;
import io.mcpsidecar.config.RedisConfig;
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
    if (current.upstream().streamConnections() != next.upstream().streamConnections()) {
      changed.add("upstream.streamConnections");
    }
    if (!current.telemetry().tracing().equals(next.telemetry().tracing())) {
      changed.add("telemetry.tracing");
    }
    if (current.limits().backend() != next.limits().backend()) {
      changed.add("limits.backend");
    }
    if (!sameConnection(current.limits().redis(), next.limits().redis())) {
      changed.add("limits.redis");
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
            current.upstream().streamConnections(),
            u.healthInterval()),
        new EdgeConfig(
            e.maxBodyBytes(),
            e.allowedOrigins(),
            e.maxHeaderCount(),
            current.edge().maxHeaderBytes(),
            e.maxBatchSize(),
            e.maxSessionIdBytes()),
        next.shutdown(),
        next.logging(),
        new TelemetryConfig(current.telemetry().tracing(), next.telemetry().metrics()),
        next.identity(),
        next.tenants(),
        keepBackend(current.limits(), next.limits()),
        next.policy());
  }

  // The backend and its connection are built once; everything else about limits applies live.
  private static LimitsConfig keepBackend(LimitsConfig current, LimitsConfig next) {
    RedisConfig r = current.redis();
    return new LimitsConfig(
        current.backend(),
        new RedisConfig(
            r.url(),
            r.tls(),
            r.password(),
            r.keyPrefix(),
            next.redis().timeout(),
            next.redis().health()),
        next.failMode(),
        next.countedMethods(),
        next.requests(),
        next.tools(),
        next.costs(),
        next.quotas(),
        next.concurrency(),
        next.streams(),
        next.global(),
        next.maxTrackedTenants());
  }

  private static boolean sameConnection(RedisConfig a, RedisConfig b) {
    return a.url().equals(b.url())
        && a.tls() == b.tls()
        && a.password().equals(b.password())
        && a.keyPrefix().equals(b.keyPrefix());
  }
}
