package io.mcpsidecar.agent.limits;

import java.util.List;

/** What the limits said about one call: values, mapped to HTTP and JSON-RPC by the stage. */
sealed interface LimitDecision {

  /**
   * What one bucket holds after a decision, for the {@code RateLimit} headers.
   *
   * @param demand the demand that was made of it
   * @param remaining tokens left
   * @param resetNanos time until it is full again
   */
  record State(Demand demand, long remaining, long resetNanos) {}

  /** Every limit allowed the call; its tokens are taken. */
  record Allowed(List<State> states) implements LimitDecision {}

  /**
   * A limit refused the call; tokens other limits had granted were given back.
   *
   * @param refused the state of the bucket that refused
   * @param retryAfterNanos when the call could succeed (a quota: when its window ends)
   */
  record Limited(State refused, long retryAfterNanos, List<State> states)
      implements LimitDecision {}

  /** The backend could not decide in time; limits.failMode applies. */
  record Unavailable(Throwable cause) implements LimitDecision {}
}
