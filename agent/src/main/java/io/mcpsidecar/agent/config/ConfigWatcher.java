package io.mcpsidecar.agent.config;

import io.mcpsidecar.agent.audit.AuditEvent;
import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the config file the way Kubernetes updates a mounted ConfigMap: the kubelet writes a new
 * timestamped directory and swaps the {@code ..data} symlink, so the file's content changes without
 * any event on the file itself. Plain edits and {@code mv} over the file change it too. Polling the
 * content (following symlinks) catches all three; a change is applied only once two reads a
 * debounce interval apart agree, so a half-written file is never loaded. All file reading happens
 * on a worker thread, never on an event loop.
 */
public final class ConfigWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Vertx vertx;
  private final Path file;
  private final ConfigSource source;
  private final ReloadMetrics metrics;
  private final AuditSink audit;
  private final Duration pollInterval;
  private final Duration debounce;
  private final Consumer<AgentConfig> onApplied;
  private String appliedHash;
  private String pendingHash;
  private long timer = -1;
  private boolean busy;
  private volatile boolean stopped;

  public ConfigWatcher(
      Vertx vertx,
      Path file,
      ConfigSource source,
      ReloadMetrics metrics,
      AuditSink audit,
      Duration pollInterval,
      Duration debounce,
      Consumer<AgentConfig> onApplied) {
    this.vertx = vertx;
    this.file = file;
    this.source = source;
    this.metrics = metrics;
    this.audit = audit;
    this.pollInterval = pollInterval;
    this.debounce = debounce;
    this.onApplied = onApplied;
  }

  /**
   * Starts watching. The file is read once now: if it already differs from the config the agent
   * started with (it changed between the first load and this moment), it is applied as a reload.
   */
  public Future<Void> start() {
    return vertx
        .executeBlocking(this::load, false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                Loaded loaded = ar.result();
                if (loaded.result() instanceof ConfigResult.Valid valid
                    && !valid.config().equals(source.get())) {
                  apply(loaded);
                } else {
                  appliedHash = loaded.hash();
                }
              }
              schedule(pollInterval);
            })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  public void stop() {
    stopped = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
  }

  private void schedule(Duration delay) {
    if (!stopped) {
      timer = vertx.setTimer(Math.max(1, delay.toMillis()), t -> poll());
    }
  }

  private void poll() {
    if (busy) {
      schedule(pollInterval);
      return;
    }
    busy = true;
    vertx
        .executeBlocking(() -> hash(read()), false)
        .onComplete(
            ar -> {
              busy = false;
              if (ar.failed()) {
                // Between the kubelet's steps the file can vanish for an instant: try again.
                schedule(pollInterval);
                return;
              }
              String current = ar.result();
              if (current.equals(appliedHash)) {
                pendingHash = null;
                schedule(pollInterval);
              } else if (!current.equals(pendingHash)) {
                pendingHash = current; // changed: wait until it holds still
                schedule(debounce);
              } else {
                pendingHash = null;
                reload();
              }
            });
  }

  /** Reads and validates the file; runs on a worker thread. */
  private Loaded load() throws IOException {
    byte[] bytes = read();
    return new Loaded(hash(bytes), ConfigLoader.parse(new String(bytes, StandardCharsets.UTF_8)));
  }

  private void reload() {
    vertx
        .executeBlocking(this::load, false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                metrics.failure();
                LOG.atWarn()
                    .addKeyValue("file", file.toString())
                    .log("config reload failed: {}", ar.cause().toString());
              } else {
                apply(ar.result());
              }
              schedule(pollInterval);
            });
  }

  private void apply(Loaded loaded) {
    appliedHash = loaded.hash(); // a bad config is not retried until the file changes again
    if (loaded.result() instanceof ConfigResult.Invalid invalid) {
      metrics.failure();
      audit.write(
          AuditEvent.of(AuditEvent.Type.CONFIG_REJECTED)
              .with("generation", source.snapshot().generation())
              .with("violations", invalid.violations().size())
              .warning());
      LOG.atError()
          .addKeyValue("file", file.toString())
          .addKeyValue("violations", invalid.violations().size())
          .log(
              "config reload rejected, keeping generation {}: {}",
              source.snapshot().generation(),
              String.join("; ", invalid.violations().stream().map(Object::toString).toList()));
      return;
    }
    ConfigResult.Valid valid = (ConfigResult.Valid) loaded.result();
    AgentConfig current = source.get();
    List<String> restartOnly = LiveSettings.restartRequired(current, valid.config());
    AgentConfig effective = LiveSettings.keepRestartOnly(current, valid.config());
    ConfigSource.Snapshot snapshot = source.swap(effective, valid, restartOnly);
    metrics.success(snapshot.generation(), !restartOnly.isEmpty());
    if (!restartOnly.isEmpty()) {
      LOG.atWarn()
          .addKeyValue("settings", String.join(",", restartOnly))
          .log("config changed settings that take effect only after a restart: {}", restartOnly);
    }
    LOG.atInfo()
        .addKeyValue("generation", snapshot.generation())
        .addKeyValue("hash", snapshot.hash())
        .log("config reloaded");
    audit.write(
        AuditEvent.of(AuditEvent.Type.CONFIG_RELOADED)
            .with("generation", snapshot.generation())
            .with("hash", snapshot.hash()));
    onApplied.accept(effective);
  }

  private byte[] read() throws IOException {
    return Files.readAllBytes(file);
  }

  static String hash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Loaded(String hash, ConfigResult result) {}
}
