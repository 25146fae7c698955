package io.mcpsidecar.agent.health;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a check knows after its latest run, as one immutable value: readiness and the fail-fast
 * stage read it without waiting.
 *
 * @param state up or down after the thresholds, or unknown before the first verdict
 * @param detail what the latest run saw
 * @param lastSuccess when a run last succeeded, or null
 * @param lastError the reason the latest failed run gave, or null
 * @param lastErrorAt when a run last failed, or null
 * @param durationMs how long the latest run took; -1 before the first
 * @param consecutiveFailures failed runs in a row
 * @param consecutiveSuccesses successful runs in a row
 * @param checkedAt when the latest run ended, or null
 */
public record CheckState(
    State state,
    String detail,
    @Nullable Instant lastSuccess,
    @Nullable String lastError,
    @Nullable Instant lastErrorAt,
    long durationMs,
    int consecutiveFailures,
    int consecutiveSuccesses,
    @Nullable Instant checkedAt) {

  /** Up, down, or not known yet. */
  public enum State {
    UNKNOWN,
    UP,
    DOWN
  }

  static CheckState initial() {
    return new CheckState(State.UNKNOWN, "not checked yet", null, null, null, -1, 0, 0, null);
  }

  /**
   * The state after one more run. A check not known yet is down at its first failure (nothing says
   * it was ever up) and up after {@code healthy} successes; one that is up goes down after {@code
   * unhealthy} failures in a row, one that is down comes up after {@code healthy} successes.
   */
  CheckState next(boolean ok, String what, long ms, Instant now, int healthy, int unhealthy) {
    int failures = ok ? 0 : consecutiveFailures + 1;
    int successes = ok ? consecutiveSuccesses + 1 : 0;
    State to =
        switch (state) {
          case UNKNOWN -> ok ? (successes >= healthy ? State.UP : State.UNKNOWN) : State.DOWN;
          case UP -> !ok && failures >= unhealthy ? State.DOWN : State.UP;
          case DOWN -> ok && successes >= healthy ? State.UP : State.DOWN;
        };
    return new CheckState(
        to,
        what,
        ok ? now : lastSuccess,
        ok ? lastError : what,
        ok ? lastErrorAt : now,
        ms,
        failures,
        successes,
        now);
  }
}
