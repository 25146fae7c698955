package io.mcpsidecar.agent;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import java.util.concurrent.TimeUnit;

/** Starts real agents on ephemeral ports for tests. */
public final class TestAgents {

  private TestAgents() {}

  /** A config for an agent on ephemeral ports in front of {@code upstreamUrl}, plus extra YAML. */
  public static AgentConfig config(String upstreamUrl, String extraYaml) {
    return config(upstreamUrl, "", extraYaml);
  }

  /**
   * What tests of other concerns check the server with, unless their YAML has a {@code health}
   * section: a TCP connect, so that the stub servers they count requests on see only their calls.
   */
  static final String TCP_SERVER_CHECK = "health:\n  server:\n    check: tcp\n";

  /**
   * A config as {@link #config(String, String)}, with {@code listenYaml} (keys indented by two
   * spaces, one a line) added under {@code listen}.
   */
  public static AgentConfig config(String upstreamUrl, String listenYaml, String extraYaml) {
    String yaml =
        "listen:\n  host: 127.0.0.1\n  port: 0\n"
            + listenYaml
            + "admin:\n  host: 127.0.0.1\n  port: 0\n"
            + "upstream:\n  url: "
            + upstreamUrl
            + "\n"
            + extraYaml
            + (extraYaml.matches("(?s)(.*\n)?health:.*") ? "" : TCP_SERVER_CHECK);
    ConfigResult result = ConfigLoader.parse(yaml);
    if (result instanceof ConfigResult.Invalid invalid) {
      throw new IllegalArgumentException(invalid.violations().toString());
    }
    return ((ConfigResult.Valid) result).config();
  }

  /**
   * A config as {@link #config(String, String)}, with {@code adminYaml} (keys indented by two
   * spaces, one a line) added under {@code admin}.
   */
  public static AgentConfig configWithAdmin(
      String upstreamUrl, String adminYaml, String extraYaml) {
    String yaml =
        "listen:\n  host: 127.0.0.1\n  port: 0\n"
            + "admin:\n  host: 127.0.0.1\n  port: 0\n"
            + adminYaml
            + "upstream:\n  url: "
            + upstreamUrl
            + "\n"
            + extraYaml
            + (extraYaml.matches("(?s)(.*\n)?health:.*") ? "" : TCP_SERVER_CHECK);
    ConfigResult result = ConfigLoader.parse(yaml);
    if (result instanceof ConfigResult.Invalid invalid) {
      throw new IllegalArgumentException(invalid.violations().toString());
    }
    return ((ConfigResult.Valid) result).config();
  }

  public static Agent start(AgentConfig config) {
    try {
      return Agent.start(config)
          .toCompletionStage()
          .toCompletableFuture()
          .get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("agent did not start", e);
    }
  }

  public static Agent start(String upstreamUrl) {
    return start(config(upstreamUrl, ""));
  }

  public static void stop(Agent agent) {
    if (agent == null) {
      return;
    }
    try {
      agent.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("agent did not stop", e);
    }
  }

  public static String mcpUrl(Agent agent) {
    return "http://127.0.0.1:" + agent.mcpPort() + "/mcp";
  }
}
