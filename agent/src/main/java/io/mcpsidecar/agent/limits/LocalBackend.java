package io.mcpsidecar.agent.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Buckets in this agent's memory (Bucket4j local buckets: lock-free, never blocking). Memory stays
 * bounded however many tenant ids arrive: beyond {@code maxTrackedTenants} tenants, those whose
 * buckets are all full again (idle long enough to refill, so forgetting them loses nothing) are
 * dropped, at most one sweep per {@link #SWEEP_INTERVAL}; when none can be dropped, further unknown
 * tenants share the buckets of {@link #OVERFLOW}. Tenants named in the config are always tracked.
 */
final class LocalBackend implements LimitBackend {

  /** The tenant whose buckets unknown tenants share when the table is full. */
  static final String OVERFLOW = "~overflow";

  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

  private final Clock clock;
  private final ClockTimeMeter time;
  private final IntSupplier maxTenants;
  private final Map<String, Buckets> tenants = new ConcurrentHashMap<>();
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
  private volatile Set<String> pinned = Set.of();

  /** One bucket as created, for the window and shape it was created for. */
  private record Held(BucketSpec spec, String window, Instant resetAt, LocalBucket bucket) {
    boolean full(Instant now) {
      return (resetAt != null && !now.isBefore(resetAt))
          || bucket.getAvailableTokens() >= spec.capacity();
    }
  }

  private static final class Buckets {
    final Map<String, Held> byName = new ConcurrentHashMap<>();
  }

  LocalBackend(Clock clock, IntSupplier maxTenants) {
    this.clock = clock;
    this.time = new ClockTimeMeter(clock);
    this.maxTenants = maxTenants;
  }

  @Override
  public String name() {
    return "local";
  }

  /** Tenants named in the config: never dropped, never sent to the overflow buckets. */
  void pin(Set<String> configured) {
    pinned = Set.copyOf(configured);
  }

  @Override
  public CompletableFuture<ConsumptionProbe> tryConsume(
      String tenant, Demand demand, long version, Duration timeout) {
    return CompletableFuture.completedFuture(consume(tenant, demand));
  }

  /** {@link #tryConsume}'s answer itself: local buckets answer at once. */
  ConsumptionProbe consume(String tenant, Demand demand) {
    return bucket(tenant, demand).tryConsumeAndReturnRemaining(demand.tokens());
  }

  @Override
  public void refund(String tenant, Demand demand, long version, Duration timeout) {
    bucket(tenant, demand).addTokens(demand.tokens());
  }

  /** Tenants with buckets of their own now (the overflow counts as one). */
  int trackedTenants() {
    return tenants.size();
  }

  private LocalBucket bucket(String tenant, Demand demand) {
    Buckets buckets = buckets(tenant);
    Held current = buckets.byName.get(demand.name());
    if (current != null
        && Objects.equals(current.window(), demand.window())
        && current.spec().equals(demand.spec())) {
      return current.bucket(); // the common case, without compute's lock and lambda
    }
    Held held =
        buckets.byName.compute(
            demand.name(),
            (name, old) -> {
              if (old == null || !Objects.equals(old.window(), demand.window())) {
                return create(demand);
              }
              if (!old.spec().equals(demand.spec())) {
                // A reload changed the limit: keep what was consumed (docs/limits.md).
                old.bucket()
                    .replaceConfiguration(
                        demand.spec().configuration(), TokensInheritanceStrategy.ADDITIVE);
                return new Held(demand.spec(), old.window(), demand.resetAt(), old.bucket());
              }
              return old;
            });
    return held.bucket();
  }

  private Held create(Demand demand) {
    LocalBucket bucket =
        Bucket.builder()
            .withCustomTimePrecision(time)
            .addLimit(demand.spec().configuration().getBandwidths()[0])
            .build();
    return new Held(demand.spec(), demand.window(), demand.resetAt(), bucket);
  }

  private Buckets buckets(String tenant) {
    Buckets existing = tenants.get(tenant);
    if (existing != null) {
      return existing;
    }
    if (tenants.size() >= maxTenants.getAsInt() && !pinned.contains(tenant)) {
      sweep();
      if (tenants.size() >= maxTenants.getAsInt()) {
        return tenants.computeIfAbsent(OVERFLOW, t -> new Buckets());
      }
    }
    return tenants.computeIfAbsent(tenant, t -> new Buckets());
  }

  private void sweep() {
    long now = clock.millis();
    long due = nextSweep.get();
    if (now < due || !nextSweep.compareAndSet(due, now + SWEEP_INTERVAL.toMillis())) {
      return;
    }
    Instant instant = clock.instant();
    tenants
        .entrySet()
        .removeIf(
            e ->
                !pinned.contains(e.getKey())
                    && e.getValue().byName.values().stream().allMatch(h -> h.full(instant)));
  }
}
