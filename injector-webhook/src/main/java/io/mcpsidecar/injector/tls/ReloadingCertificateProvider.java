package io.mcpsidecar.injector.tls;

import io.mcpsidecar.injector.admin.ReadinessCheck;
import io.mcpsidecar.injector.config.FilePolling;
import io.mcpsidecar.injector.config.WebhookSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.http.ssl.CertificateProvider;
import jakarta.inject.Named;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Sinks;

/**
 * The webhook's TLS key and certificate, read from the PEM files named by {@code WEBHOOK_TLS_KEY}
 * and {@code WEBHOOK_TLS_CERT} and re-read when they change on disk. Micronaut's Netty server
 * subscribes to {@link #getKeyStore()} (it is named by {@code micronaut.server.ssl.key-name}) and
 * builds a new SSL context for new connections on every emission, without a restart.
 *
 * <p>Start-up fails when the files are unusable. A later bad rotation keeps the last good material,
 * is logged and counted, and is retried when the files change again. The leaf certificate's expiry
 * is exported as {@code mcp_injector_tls_certificate_expiry_timestamp_seconds}. The bean is created
 * eagerly ({@code @Context}) so that unusable files stop the start with their names, before the
 * server binds.
 */
@Context
@Named(ReloadingCertificateProvider.NAME)
public final class ReloadingCertificateProvider implements CertificateProvider, ReadinessCheck {
  /** The provider name that {@code micronaut.server.ssl.key-name} refers to. */
  public static final String NAME = "webhook";

  private static final Logger LOG = LoggerFactory.getLogger(ReloadingCertificateProvider.class);

  private final Sinks.Many<KeyStore> keyStores = Sinks.many().replay().latest();
  private final AtomicReference<KeyMaterial> current = new AtomicReference<>();
  private final Clock clock;
  private final Counter reloaded;
  private final Counter failed;
  private final FilePolling.Watch watch;

  public ReloadingCertificateProvider(
      WebhookSettings settings, FilePolling polling, MeterRegistry registry, Clock clock)
      throws Exception {
    this.clock = clock;
    List<Path> files = List.of(settings.tlsKey(), settings.tlsCert());
    List<byte[]> initial;
    try {
      initial = FilePolling.read(files);
      install(KeyMaterial.fromPem(initial.get(0), initial.get(1)));
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "TLS material unusable: WEBHOOK_TLS_KEY="
              + settings.tlsKey()
              + ", WEBHOOK_TLS_CERT="
              + settings.tlsCert()
              + ": "
              + e.getMessage(),
          e);
    }
    this.reloaded =
        Counter.builder("mcp.injector.tls.reloads")
            .description("TLS key and certificate reloads from disk")
            .tag("result", "success")
            .register(registry);
    this.failed =
        Counter.builder("mcp.injector.tls.reloads")
            .description("TLS key and certificate reloads from disk")
            .tag("result", "failure")
            .register(registry);
    Gauge.builder(
            "mcp.injector.tls.certificate.expiry.timestamp",
            current,
            ref -> ref.get().notAfter().getEpochSecond())
        .description("When the serving certificate expires (Unix time)")
        .baseUnit("seconds")
        .register(registry);
    this.watch =
        polling.watch(
            "tls", files, settings.reloadInterval(), initial, contents -> reload(contents));
  }

  private void reload(List<byte[]> contents) {
    try {
      KeyMaterial material = KeyMaterial.fromPem(contents.get(0), contents.get(1));
      install(material);
      reloaded.increment();
      LOG.info(
          "TLS certificate reloaded: subject={} serial={} notAfter={}",
          material.leaf().getSubjectX500Principal().getName(),
          material.leaf().getSerialNumber().toString(16),
          material.notAfter());
    } catch (GeneralSecurityException | RuntimeException e) {
      failed.increment();
      LOG.error(
          "TLS reload refused, still serving the previous certificate (notAfter {}): {}",
          current.get().notAfter(),
          e.getMessage());
    }
  }

  private void install(KeyMaterial material) throws GeneralSecurityException {
    KeyStore store = material.toKeyStore();
    current.set(material);
    keyStores.tryEmitNext(store).orThrow();
  }

  /** Checks the files now instead of at the next poll. */
  public void pollNow() {
    watch.poll();
  }

  /** The material being served. */
  public KeyMaterial current() {
    return current.get();
  }

  @Override
  public Publisher<KeyStore> getKeyStore() {
    return keyStores.asFlux();
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String name() {
    return "tls";
  }

  @Override
  public Status status() {
    Instant notAfter = current.get().notAfter();
    boolean valid = clock.instant().isBefore(notAfter);
    return new Status(
        valid,
        true,
        valid ? "certificate valid until " + notAfter : "certificate expired at " + notAfter);
  }
}
