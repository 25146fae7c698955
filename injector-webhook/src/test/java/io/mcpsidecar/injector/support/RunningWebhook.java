package io.mcpsidecar.injector.support;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** The real webhook (Micronaut, Netty, TLS) in this JVM, on a free port of 127.0.0.1. */
public final class RunningWebhook implements AutoCloseable {
  private final EmbeddedServer server;
  private final TestCertificates.Issued ca;

  public RunningWebhook(TlsFiles tls, TestCertificates.Issued ca, Map<String, Object> extra) {
    this.ca = ca;
    Map<String, Object> properties = new HashMap<>();
    properties.put("micronaut.server.ssl.port", -1);
    properties.put("micronaut.server.host", "127.0.0.1");
    properties.put("webhook.tls.key", tls.key().toString());
    properties.put("webhook.tls.cert", tls.cert().toString());
    properties.put("webhook.reload.interval", "100ms");
    properties.putAll(extra);
    this.server = ApplicationContext.run(EmbeddedServer.class, properties);
  }

  public ApplicationContext context() {
    return server.getApplicationContext();
  }

  public URI uri(String path) {
    return URI.create("https://localhost:" + server.getPort() + path);
  }

  /** A client trusting the test CA; each client has its own SSL context (no resumption). */
  public HttpClient client(String... protocols) {
    SSLContext ssl = TestCertificates.trusting(ca);
    var builder = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5));
    if (protocols.length > 0) {
      builder.sslParameters(new SSLParameters(null, protocols));
    }
    return builder.build();
  }

  public HttpResponse<String> post(String path, byte[] body) throws Exception {
    return client()
        .send(
            HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws Exception {
    return client()
        .send(
            HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.getApplicationContext().close();
  }
}
