package io.mcpsidecar.agent.health;

import io.mcpsidecar.config.AgentConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.URI;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Checks on a schedule that the MCP server accepts TCP connections, each attempt bounded by the
 * connect timeout. Readiness reads the cached result; a probe never waits on the network.
 */
public final class UpstreamProbe {

  /** The latest result. */
  public record Status(boolean up, String detail, long latencyMs, Instant checkedAt) {}

  private final Vertx vertx;
  private final Supplier<AgentConfig> config;
  private volatile Status status = new Status(false, "not checked yet", -1, null);
  private NetClient client;
  private long timer = -1;

  public UpstreamProbe(Vertx vertx, Supplier<AgentConfig> config) {
    this.vertx = vertx;
    this.config = config;
  }

  public Status status() {
    return status;
  }

  public void start() {
    AgentConfig cfg = config.get();
    client =
        vertx.createNetClient(
            new NetClientOptions()
                .setConnectTimeout((int) cfg.upstream().connectTimeout().toMillis()));
    checkNow();
  }

  /** Runs one check now and schedules the next one. */
  public void checkNow() {
    AgentConfig cfg = config.get();
    URI url = cfg.upstream().url();
    int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    long started = System.nanoTime();
    client
        .connect(port, url.getHost())
        .onComplete(
            result -> {
              long ms = (System.nanoTime() - started) / 1_000_000;
              if (result.succeeded()) {
                result.result().close();
                status =
                    new Status(
                        true,
                        url.getHost() + ":" + port + " accepts connections",
                        ms,
                        Instant.now());
              } else {
                status =
                    new Status(
                        false, String.valueOf(result.cause().getMessage()), ms, Instant.now());
              }
              timer =
                  vertx.setTimer(
                      config.get().upstream().healthInterval().toMillis(), t -> checkNow());
            });
  }

  public void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    if (client != null) {
      client.close();
    }
  }
}
