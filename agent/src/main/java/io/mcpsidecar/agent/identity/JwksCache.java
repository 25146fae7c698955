package io.mcpsidecar.agent.identity;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The identity provider's key sets, fetched with the Vert.x HTTP client (never blocking an event
 * loop) and cached per URL. Bounded in every direction: one fetch per URL at a time (callers share
 * it), each fetch bounded in time and size, a stale set refreshed in the background while it keeps
 * serving, an unknown {@code kid} triggering at most one refetch per {@link #MIN_REFRESH}, a failed
 * first fetch retried at most once per {@link #RETRY_AFTER_FAILURE}. Thread-safe: calls arrive from
 * every event loop.
 */
final class JwksCache {

  /** The least time between two fetches caused by unknown key ids. */
  static final Duration MIN_REFRESH = Duration.ofSeconds(10);

  /** The least time between two attempts while no key set could be fetched yet. */
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

  /** Larger documents are refused: a key set is a few kilobytes. */
  static final int MAX_BYTES = 512 * 1024;

  private static final int MAX_URLS = 8;

  private final HttpClient client;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  JwksCache(HttpClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  private static final class Entry {
    volatile JWKSet keys;
    volatile long fetchedAt;
    volatile long attemptedAt = Long.MIN_VALUE / 2;
    final AtomicReference<CompletableFuture<JWKSet>> inflight = new AtomicReference<>();
  }

  /** The cached keys (refreshing them in the background when stale), or the first fetch. */
  CompletableFuture<JWKSet> keys(String url, Duration refreshInterval, Duration timeout) {
    Entry entry = entry(url);
    long now = clock.millis();
    JWKSet keys = entry.keys;
    if (keys != null) {
      if (now - entry.fetchedAt >= refreshInterval.toMillis()
          && now - entry.attemptedAt >= RETRY_AFTER_FAILURE.toMillis()) {
        fetch(entry, url, timeout); // the current keys keep serving meanwhile
      }
      return CompletableFuture.completedFuture(keys);
    }
    CompletableFuture<JWKSet> running = entry.inflight.get();
    if (running != null) {
      return running;
    }
    if (now - entry.attemptedAt < RETRY_AFTER_FAILURE.toMillis()) {
      return CompletableFuture.failedFuture(new IOException("JWKS fetch failed recently"));
    }
    return fetch(entry, url, timeout);
  }

  /** The key set in the cache now, or null; never fetches. */
  JWKSet cached(String url) {
    Entry entry = entries.get(url);
    return entry == null ? null : entry.keys;
  }

  /**
   * The key set fetched again, because a token names a key id the cached set lacks (the provider
   * rotated its keys); the cached set when a refetch happened less than {@link #MIN_REFRESH} ago.
   */
  CompletableFuture<JWKSet> refreshed(String url, Duration timeout) {
    Entry entry = entry(url);
    CompletableFuture<JWKSet> running = entry.inflight.get();
    if (running != null) {
      return running;
    }
    if (clock.millis() - entry.attemptedAt < MIN_REFRESH.toMillis()) {
      JWKSet keys = entry.keys;
      return keys != null
          ? CompletableFuture.completedFuture(keys)
          : CompletableFuture.failedFuture(new IOException("JWKS fetch failed recently"));
    }
    return fetch(entry, url, timeout);
  }

  private Entry entry(String url) {
    if (entries.size() >= MAX_URLS && !entries.containsKey(url)) {
      entries.clear(); // only after reloads that changed the URL many times
    }
    return entries.computeIfAbsent(url, u -> new Entry());
  }

  private CompletableFuture<JWKSet> fetch(Entry entry, String url, Duration timeout) {
    CompletableFuture<JWKSet> mine = new CompletableFuture<>();
    CompletableFuture<JWKSet> running = entry.inflight.compareAndExchange(null, mine);
    if (running != null) {
      return running;
    }
    entry.attemptedAt = clock.millis();
    download(url, timeout)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(
            bytes -> {
              try {
                return SigningKeys.parse(bytes);
              } catch (IOException e) {
                throw new IllegalStateException("unusable JWKS document: " + e.getMessage(), e);
              }
            })
        .whenComplete(
            (keys, err) -> {
              if (err == null) {
                entry.keys = keys;
                entry.fetchedAt = clock.millis();
              }
              entry.inflight.set(null);
              if (err == null) {
                mine.complete(keys);
              } else {
                mine.completeExceptionally(err);
              }
            });
    return mine;
  }

  private CompletableFuture<byte[]> download(String url, Duration timeout) {
    Promise<byte[]> body = Promise.promise();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url)
            .setConnectTimeout(timeout.toMillis())
            .setIdleTimeout(timeout.toMillis())
            .putHeader("Accept", "application/jwk-set+json, application/json");
    // Handlers go on the response in the send future's own callback, on its event loop: set any
    // later (after a compose) and a small body can arrive first and be lost.
    client
        .request(options)
        .onFailure(body::tryFail)
        .onSuccess(
            req ->
                req.send()
                    .onFailure(body::tryFail)
                    .onSuccess(
                        resp -> {
                          if (resp.statusCode() != 200) {
                            resp.request().reset();
                            body.tryFail(
                                new IOException("JWKS answered HTTP " + resp.statusCode()));
                            return;
                          }
                          Buffer received = Buffer.buffer();
                          resp.handler(
                              chunk -> {
                                if (received.length() + chunk.length() > MAX_BYTES) {
                                  body.tryFail(
                                      new IOException("JWKS larger than " + MAX_BYTES + " bytes"));
                                  resp.request().reset();
                                } else {
                                  received.appendBuffer(chunk);
                                }
                              });
                          resp.exceptionHandler(body::tryFail);
                          resp.endHandler(v -> body.tryComplete(received.getBytes()));
                        }));
    return body.future().toCompletionStage().toCompletableFuture();
  }
}
