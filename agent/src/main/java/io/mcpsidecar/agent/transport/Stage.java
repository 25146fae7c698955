package io.mcpsidecar.agent.transport;

import io.vertx.core.Future;
import java.util.Set;

/**
 * One stage of the pipeline every MCP exchange passes through: edge checks, tracing, identity,
 * limits, ..., and last the upstream stage that relays the call to the server. A stage receives the
 * call and {@code next} (the rest of the pipeline) and returns the future {@link Outcome}. It may
 *
 * <ul>
 *   <li>refuse before: return {@link Outcome#refused} without calling {@code next};
 *   <li>answer itself: return {@link Outcome#answer} without calling {@code next};
 *   <li>wrap: call {@code next} (at most once per attempt) and time, retry or bound it;
 *   <li>see or change the outcome after: map the future {@code next} returned (the server's answer
 *       head arrives as {@link Outcome.Relayed}, its body or event stream not yet read).
 * </ul>
 *
 * <p>Stages run on the connection's event loop: they must not block; asynchronous work (Redis,
 * JWKS) returns a future. A stage that throws or returns a failed future fails the call closed
 * ({@code -32007 internal_error}, {@code data.stage}); later stages see that refusal as their
 * {@code next}'s outcome.
 */
public interface Stage {

  /** A short, stable name for logs, errors ({@code data.stage}) and order checks. */
  String name();

  /**
   * The names of the stages that must come before this one (identity before limits, say). The
   * pipeline refuses to start when one is missing or comes later.
   */
  default Set<String> requires() {
    return Set.of();
  }

  /** Handles the call; calls {@code next.proceed()} to pass it on. */
  Future<Outcome> handle(McpCall call, Next next);

  /**
   * Called once when the exchange ends, however it ends (also when the stage never ran, for a call
   * refused before it), for stages that hold resources or close what they opened.
   */
  default void onEnd(McpCall call) {}

  /** The rest of the pipeline after a stage. */
  @FunctionalInterface
  interface Next {
    /** Runs the following stages (and finally the upstream call); never fails. */
    Future<Outcome> proceed();
  }
}
