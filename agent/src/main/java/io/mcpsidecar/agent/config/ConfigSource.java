package io.mcpsidecar.agent.config;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Holds the current configuration snapshot. Readers take the whole snapshot once per call and keep
 * it; a swap replaces the whole snapshot atomically, so no reader ever sees half a config.
 */
public final class ConfigSource implements Supplier<AgentConfig> {

  /**
   * A snapshot in effect.
   *
   * @param config what the agent runs on
   * @param generation 1 for the config the agent started with, +1 per applied reload
   * @param hash SHA-256 of the effective configuration as loaded
   * @param redacted the loaded configuration with secrets and environment values masked
   * @param restartPending settings the file changed that take effect only after a restart
   */
  public record Snapshot(
      AgentConfig config,
      long generation,
      String hash,
      Map<String, Object> redacted,
      List<String> restartPending) {}

  private final AtomicReference<Snapshot> current;

  public ConfigSource(ConfigResult.Valid initial) {
    this.current =
        new AtomicReference<>(
            new Snapshot(initial.config(), 1, initial.sha256(), initial.redacted(), List.of()));
  }

  @Override
  public AgentConfig get() {
    return current.get().config();
  }

  public Snapshot snapshot() {
    return current.get();
  }

  /** Installs a new snapshot (the config in effect plus what was loaded) and returns it. */
  Snapshot swap(AgentConfig effective, ConfigResult.Valid loaded, List<String> restartPending) {
    return current.updateAndGet(
        s ->
            new Snapshot(
                effective,
                s.generation() + 1,
                loaded.sha256(),
                loaded.redacted(),
                List.copyOf(restartPending)));
  }
}
