package io.mcpsidecar.injector.catalog;

import io.mcpsidecar.injector.admin.ReadinessCheck;
import io.mcpsidecar.injector.config.FilePolling;
import io.mcpsidecar.injector.config.WebhookSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current catalog snapshot. Read once at start-up (an unusable catalog stops the webhook from
 * starting, with every problem listed), then re-read when the file changes; a bad reload keeps the
 * last good snapshot, logs and counts. Readers take whole snapshots from {@link #get()}.
 */
@Context
public final class CatalogSource implements Supplier<Optional<Catalog>>, ReadinessCheck {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogSource.class);

  private final AtomicReference<Optional<Catalog>> current =
      new AtomicReference<>(Optional.empty());
  private final Optional<Path> file;
  private final Counter reloaded;
  private final Counter failed;

  public CatalogSource(WebhookSettings settings, FilePolling polling, MeterRegistry registry) {
    this.file = settings.catalogFile();
    this.reloaded = counter(registry, "success");
    this.failed = counter(registry, "failure");
    Gauge.builder(
            "mcp.injector.catalog.entries",
            current,
            c -> c.get().map(x -> x.servers().size()).orElse(0))
        .description("Approved MCP servers in the current catalog")
        .register(registry);
    if (file.isEmpty()) {
      LOG.warn("no catalog configured (WEBHOOK_CATALOG_FILE): /validate denies every MCP server");
      return;
    }
    List<byte[]> initial;
    try {
      initial = FilePolling.read(List.of(file.get()));
    } catch (IOException e) {
      throw new IllegalStateException(
          "WEBHOOK_CATALOG_FILE: \"" + file.get() + "\" (expected: a readable file): " + e, e);
    }
    CatalogParser.Result result = CatalogParser.parse(initial.get(0));
    if (result instanceof CatalogParser.Invalid invalid) {
      throw new IllegalStateException(
          "catalog " + file.get() + " is invalid:\n  " + String.join("\n  ", invalid.problems()));
    }
    install(((CatalogParser.Parsed) result).catalog());
    polling.watch("catalog", List.of(file.get()), settings.reloadInterval(), initial, this::reload);
  }

  private static Counter counter(MeterRegistry registry, String result) {
    return Counter.builder("mcp.injector.catalog.reloads")
        .description("Catalog reloads from disk")
        .tag("result", result)
        .register(registry);
  }

  private void reload(List<byte[]> contents) {
    CatalogParser.Result result = CatalogParser.parse(contents.get(0));
    if (result instanceof CatalogParser.Parsed parsed) {
      install(parsed.catalog());
      reloaded.increment();
    } else {
      failed.increment();
      LOG.error(
          "catalog reload refused, keeping the previous catalog:\n  {}",
          String.join("\n  ", ((CatalogParser.Invalid) result).problems()));
    }
  }

  private void install(Catalog catalog) {
    current.set(Optional.of(catalog));
    LOG.info("catalog loaded: {} approved MCP server repositories", catalog.servers().size());
  }

  /** The current catalog; empty when none is configured. */
  @Override
  public Optional<Catalog> get() {
    return current.get();
  }

  @Override
  public String name() {
    return "catalog";
  }

  @Override
  public Status status() {
    // the catalog never makes the webhook unready: injection must not stop over it
    return current
        .get()
        .map(c -> new Status(true, false, c.servers().size() + " approved MCP servers"))
        .orElseGet(() -> new Status(false, false, "no catalog configured: MCP servers are denied"));
  }
}
