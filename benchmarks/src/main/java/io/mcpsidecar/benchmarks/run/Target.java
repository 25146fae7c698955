package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.load.Endpoint;
import io.mcpsidecar.benchmarks.process.ChildProcess;

/**
 * Something the load goes to: the upstream itself (direct, no proxy process) or a proxy in front of
 * it.
 */
record Target(String name, String description, Endpoint endpoint, ChildProcess proxy) {

  boolean direct() {
    return proxy == null;
  }
}
