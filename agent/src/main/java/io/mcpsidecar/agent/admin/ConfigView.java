package io.mcpsidecar.agent.admin;

import io.mcpsidecar.config.AgentConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The effective configuration as plain maps, for {@code GET /config}. */
final class ConfigView {

  private ConfigView() {}

  static Map<String, Object> of(AgentConfig c) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("listen", Map.of("host", c.listen().host(), "port", c.listen().port()));
    root.put("admin", Map.of("host", c.admin().host(), "port", c.admin().port()));
    root.put(
        "upstream",
        Map.of(
            "url", c.upstream().url().toString(),
            "connectTimeout", c.upstream().connectTimeout().toMillis() + "ms",
            "responseTimeout", c.upstream().responseTimeout().toMillis() + "ms",
            "maxConnections", c.upstream().maxConnections(),
            "healthInterval", c.upstream().healthInterval().toMillis() + "ms"));
    root.put(
        "edge",
        Map.of(
            "maxBodyBytes", c.edge().maxBodyBytes(),
            "allowedOrigins", c.edge().allowedOrigins(),
            "maxHeaderCount", c.edge().maxHeaderCount(),
            "maxHeaderBytes", c.edge().maxHeaderBytes(),
            "maxBatchSize", c.edge().maxBatchSize()));
    root.put("shutdown", Map.of("drainTimeout", c.shutdown().drainTimeout().toMillis() + "ms"));
    root.put("logging", Map.of("level", c.logging().level(), "accessLog", c.logging().accessLog()));
    return root;
  }
}
