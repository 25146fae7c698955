package io.mcpsidecar.agent.telemetry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters of one metric by their label values, so a call finds its counter or timer with one map
 * lookup instead of building and registering it again (tag sorting, an id, the registry's lookup).
 * Bounded: past {@code max} label combinations a meter is still registered (the registry returns
 * the existing one), just not kept here. The label values themselves are capped where they are
 * computed ({@link LabelGuard}, {@link MethodNames}); this adds no cap of its own to the series.
 */
final class MeterCache<K, M> {

  private final ConcurrentHashMap<K, M> meters = new ConcurrentHashMap<>();
  private final int max;
  private final Function<? super K, ? extends M> register;

  /** {@code register} builds and registers the meter of a key's label values. */
  MeterCache(int max, Function<? super K, ? extends M> register) {
    this.max = max;
    this.register = register;
  }

  M get(K key) {
    M meter = meters.get(key);
    if (meter != null) {
      return meter;
    }
    M registered = register.apply(key);
    if (meters.size() < max) {
      M raced = meters.putIfAbsent(key, registered);
      return raced != null ? raced : registered;
    }
    return registered;
  }

  /** Label combinations kept now. */
  int size() {
    return meters.size();
  }
}
