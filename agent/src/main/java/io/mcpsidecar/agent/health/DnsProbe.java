package io.mcpsidecar.agent.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;

/**
 * Up when the name resolves, through the JVM's resolver as the server's own clients would resolve
 * it. The lookup blocks, so it runs on a worker thread; the runner's timeout bounds the wait.
 */
final class DnsProbe implements Probe {

  private final Vertx vertx;
  private final String name;

  DnsProbe(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
  }

  @Override
  public Future<String> run(Duration timeout) {
    return vertx.executeBlocking(
        () -> {
          InetAddress[] all = InetAddress.getAllByName(name);
          return name
              + " resolves to "
              + Arrays.stream(all).limit(3).map(InetAddress::getHostAddress).toList();
        },
        false);
  }
}
