package io.mcpsidecar.config;

import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps the old key {@code upstream.healthInterval} working: when a file sets it and leaves {@code
 * health.server.interval} to its default, the old key's value becomes the interval of the server
 * check. Runs on the defaulted tree, before the rules that span keys, so that {@code
 * timeout-below-interval} judges the interval that applies. A file that sets only the old key and a
 * short interval gets a check timeout of half of it when the default timeout would not fit.
 */
final class HealthAlias {

  private static final ConfigPath OLD = ConfigPath.parse("upstream.healthInterval");
  private static final ConfigPath NEW = ConfigPath.parse("health.server.interval");
  private static final ConfigPath TIMEOUT = ConfigPath.parse("health.server.timeout");

  private HealthAlias() {}

  static void apply(JsonNode tree, Set<ConfigPath> defaulted) {
    if (defaulted.contains(OLD) || !defaulted.contains(NEW)) {
      return;
    }
    JsonNode old = tree.path("upstream").path("healthInterval");
    if (old.isString()
        && parses(old.stringValue())
        && tree.path("health").path("server") instanceof ObjectNode server) {
      server.set("interval", old.deepCopy());
      // an old file knew no check timeout: one that left it unset keeps working with a short
      // interval, the timeout becoming half of it
      Duration interval = DurationText.parse(old.stringValue());
      JsonNode timeout = server.path("timeout");
      if (defaulted.contains(TIMEOUT)
          && timeout.isString()
          && DurationText.parse(timeout.stringValue()).compareTo(interval) >= 0) {
        server.put(
            "timeout",
            DurationText.format(Duration.ofMillis(Math.max(1, interval.toMillis() / 2))));
      }
    }
  }

  private static boolean parses(String text) {
    try {
      return !DurationText.parse(text).isZero();
    } catch (IllegalArgumentException | ArithmeticException e) {
      return false; // the schema reports it at its own path
    }
  }
}
