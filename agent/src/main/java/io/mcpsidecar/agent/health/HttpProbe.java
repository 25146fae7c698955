package io.mcpsidecar.agent.health;

import io.mcpsidecar.config.HttpCheckConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Duration;

/**
 * A GET that is up when the status is expected and the body contains the expected text. Reads at
 * most {@link #MAX_BYTES} of the body, and stops reading as soon as the text was seen.
 */
final class HttpProbe implements Probe {

  static final int MAX_BYTES = 64 * 1024;

  private final HttpClient client;
  private final HttpCheckConfig check;

  HttpProbe(HttpClient client, HttpCheckConfig check) {
    this.client = client;
    this.check = check;
  }

  @Override
  public Future<String> run(Duration timeout) {
    Promise<String> result = Promise.promise();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(check.url())
            .setConnectTimeout(timeout.toMillis())
            .setIdleTimeout(timeout.toMillis())
            .putHeader("Accept", "application/json, text/plain, */*");
    // Handlers go on the response in the send callback itself: set later, a small body may be lost.
    client
        .request(options)
        .onFailure(result::tryFail)
        .onSuccess(
            req ->
                req.send()
                    .onFailure(result::tryFail)
                    .onSuccess(
                        resp -> {
                          int status = resp.statusCode();
                          if (!check.expectStatus().contains(status)) {
                            resp.request().reset();
                            result.tryFail(
                                new IOException(
                                    "HTTP " + status + " (expected " + check.expectStatus() + ")"));
                            return;
                          }
                          String expected = check.expectBody();
                          if (expected.isEmpty()) {
                            resp.request().reset();
                            result.tryComplete("HTTP " + status);
                            return;
                          }
                          Buffer body = Buffer.buffer();
                          resp.handler(
                              chunk -> {
                                body.appendBuffer(
                                    chunk, 0, Math.min(chunk.length(), MAX_BYTES - body.length()));
                                if (body.toString().contains(expected)) {
                                  result.tryComplete("HTTP " + status + ", body has " + expected);
                                  resp.request().reset();
                                } else if (body.length() >= MAX_BYTES) {
                                  result.tryFail(
                                      new IOException(
                                          "no "
                                              + expected
                                              + " in the first "
                                              + MAX_BYTES
                                              + " bytes"));
                                  resp.request().reset();
                                }
                              });
                          resp.exceptionHandler(result::tryFail);
                          resp.endHandler(
                              v ->
                                  result.tryFail(
                                      new IOException(
                                          "HTTP "
                                              + status
                                              + " without "
                                              + expected
                                              + " in its body")));
                        }));
    return result.future();
  }
}
