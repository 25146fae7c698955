package io.mcpsidecar.agent.health;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * One kind of check, run once: completes with a sentence on what was seen when the dependency is
 * up, fails with the reason when it is not. Runs on an event loop and must not block; blocking work
 * (a DNS lookup through the JVM) goes to a worker. It should give up by itself after {@code
 * timeout}; the runner bounds it anyway.
 */
@FunctionalInterface
public interface Probe {

  Future<String> run(Duration timeout);

  /** Frees what the probe holds (a session on the server); called when its check is dropped. */
  default void close() {}
}
