package io.mcpsidecar.agent.health;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One check on its own timer: runs its probe, bounded by the timeout, waits the interval (plus
 * jitter), runs it again. Runs never overlap. The result is cached as a {@link CheckState} that
 * readers take without waiting; no call ever waits on a check.
 */
public final class DependencyCheck {

  private static final Logger LOG = LoggerFactory.getLogger(DependencyCheck.class);

  private final Vertx vertx;
  private final CheckSpec spec;
  private final Probe probe;
  private final HealthMetrics metrics;
  private final Clock clock;
  private volatile CheckState state = CheckState.initial();
  private volatile long nextRunAt;
  private volatile boolean stopped;
  private long timer = -1;

  DependencyCheck(Vertx vertx, CheckSpec spec, Probe probe, HealthMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.spec = spec;
    this.probe = probe;
    this.metrics = metrics;
    this.clock = clock;
  }

  public CheckSpec spec() {
    return spec;
  }

  public CheckState state() {
    return state;
  }

  public boolean down() {
    return state.state() == CheckState.State.DOWN;
  }

  /** Milliseconds until the next run starts (0 while one runs or is due). */
  public long millisToNextRun() {
    return Math.max(0, nextRunAt - clock.millis());
  }

  /** Runs the first check at once, then on the interval. */
  void start() {
    schedule(1);
  }

  void stop() {
    stopped = true;
    long t = timer;
    if (t != -1) {
      vertx.cancelTimer(t);
    }
    probe.close();
    metrics.forget(spec.name());
  }

  private void schedule(long delayMs) {
    if (stopped) {
      return;
    }
    nextRunAt = clock.millis() + delayMs;
    // A timer set outside a context gets an event loop of its own: the probe runs there.
    timer = vertx.setTimer(Math.max(1, delayMs), t -> runOnce());
  }

  private void runOnce() {
    if (stopped) {
      return;
    }
    long started = System.nanoTime();
    Promise<String> result = Promise.promise();
    long deadline =
        vertx.setTimer(
            spec.timeout().toMillis(),
            t ->
                result.tryFail(
                    new TimeoutException("no answer within " + spec.timeout().toMillis() + " ms")));
    Future<String> run;
    try {
      run = probe.run(spec.timeout());
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    run.onComplete(
        ar -> {
          if (ar.succeeded()) {
            result.tryComplete(ar.result());
          } else {
            result.tryFail(ar.cause());
          }
        });
    result
        .future()
        .onComplete(
            ar -> {
              vertx.cancelTimer(deadline);
              long nanos = System.nanoTime() - started;
              record(ar.succeeded(), ar.succeeded() ? ar.result() : reason(ar.cause()), nanos);
              long wait = spec.interval().toMillis();
              long jitter = (long) (wait * spec.jitter());
              schedule(wait + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0));
            });
  }

  private synchronized void record(boolean ok, String what, long nanos) {
    if (stopped) {
      return;
    }
    CheckState before = state;
    CheckState after =
        before.next(
            ok,
            what,
            nanos / 1_000_000,
            clock.instant(),
            spec.healthyThreshold(),
            spec.unhealthyThreshold());
    state = after;
    metrics.ran(spec.name(), spec.critical(), nanos, after.state());
    if (before.state() != after.state()) {
      metrics.transition(spec.name(), after.state());
      if (after.state() == CheckState.State.DOWN) {
        LOG.warn(
            "dependency {} ({}) is down after {} failed checks: {}",
            spec.name(),
            spec.kind(),
            after.consecutiveFailures(),
            what);
      } else {
        LOG.info("dependency {} ({}) is {}", spec.name(), spec.kind(), after.state());
      }
    }
  }

  static String reason(Throwable cause) {
    String message = cause.getMessage();
    String kind = cause.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : kind + ": " + message;
  }
}
