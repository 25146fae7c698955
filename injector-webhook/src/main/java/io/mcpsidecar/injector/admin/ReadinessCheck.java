package io.mcpsidecar.injector.admin;

/**
 * One input to {@code GET /readyz}. Checks answer from state that their owners keep current: a
 * probe never reads a file or opens a connection.
 */
public interface ReadinessCheck {

  /** The check's name in the JSON detail. */
  String name();

  /** The current state. */
  Status status();

  /**
   * The state of one check.
   *
   * @param ready whether this check lets the webhook serve
   * @param critical whether a not-ready result makes the whole webhook not ready
   * @param detail a short explanation for humans
   */
  record Status(boolean ready, boolean critical, String detail) {}
}
