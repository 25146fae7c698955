package io.mcpsidecar.config;

/**
 * The agent's own logs.
 *
 * @param level level of the agent's own loggers
 * @param accessLog whether one access-log line is written per message
 * @param arguments whether (and how redacted) tool-call arguments appear in access-log lines
 */
public record LoggingConfig(Level level, boolean accessLog, ArgumentLoggingConfig arguments) {

  /** Level of the agent's own loggers. */
  public enum Level implements Spelled {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR;

    @Override
    public String spelling() {
      return name();
    }
  }
}
