package io.mcpsidecar.agent.limits;

import io.mcpsidecar.agent.TestClock;

/** The limits specification against the in-memory backend. */
class LocalLimitsTest extends LimitsSpecification {

  @Override
  protected LimitBackend newBackend(TestClock clock) {
    return new LocalBackend(clock, () -> 10_000);
  }
}
