package io.mcpsidecar.agent.config;

import io.mcpsidecar.config.AgentConfig;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Holds the current configuration snapshot. Readers take the whole snapshot once per call and keep
 * it; a swap replaces the whole snapshot atomically, so no reader ever sees half a config.
 */
public final class ConfigSource implements Supplier<AgentConfig> {

  /**
   * A snapshot, its generation (1 for the config the agent started with) and the SHA-256 of the
   * file it came from (null when it did not come from a file).
   */
  public record Snapshot(AgentConfig config, long generation, String hash) {}

  private final AtomicReference<Snapshot> current;

  public ConfigSource(AgentConfig initial) {
    this.current = new AtomicReference<>(new Snapshot(initial, 1, null));
  }

  @Override
  public AgentConfig get() {
    return current.get().config();
  }

  public Snapshot snapshot() {
    return current.get();
  }

  /** Installs a new snapshot and returns it. */
  public Snapshot swap(AgentConfig next, String hash) {
    return current.updateAndGet(s -> new Snapshot(next, s.generation() + 1, hash));
  }

  /** Records the hash of the content the current snapshot was loaded from. */
  void hash(String hash) {
    current.updateAndGet(s -> new Snapshot(s.config(), s.generation(), hash));
  }
}
