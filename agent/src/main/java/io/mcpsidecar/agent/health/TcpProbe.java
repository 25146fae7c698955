package io.mcpsidecar.agent.health;

import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import java.time.Duration;

/**
 * Up when {@code host:port} accepts a TCP connection, which is closed at once. A fallback for what
 * cannot be checked at its own protocol level: a server that accepts and never answers is up here.
 */
final class TcpProbe implements Probe {

  private final NetClient client;
  private final String host;
  private final int port;

  TcpProbe(NetClient client, String host, int port) {
    this.client = client;
    this.host = host;
    this.port = port;
  }

  /** A probe of {@code host:port} ({@code [v6]:port} too). */
  static TcpProbe of(io.vertx.core.Vertx vertx, String hostPort, Duration timeout) {
    NetClient client =
        vertx.createNetClient(
            new io.vertx.core.net.NetClientOptions().setConnectTimeout((int) timeout.toMillis()));
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new TcpProbe(client, host, Integer.parseInt(hostPort.substring(colon + 1)));
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public Future<String> run(Duration timeout) {
    // The connect timeout is the client's (set when it was made); the runner bounds the rest.
    return client
        .connect(port, host)
        .map(
            socket -> {
              socket.close();
              return host + ":" + port + " accepts connections";
            });
  }
}
