package io.mcpsidecar.charts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of a Kubernetes API server for the chart's {@code lookup} of its TLS Secret: the core
 * {@code v1} discovery document and {@code GET} of Secrets, answered from a map (404 when absent,
 * as for a first install).
 *
 * <p>Why it exists: helm-java's {@code template} renders with a client that talks to the cluster of
 * {@code KUBECONFIG} (unlike the {@code helm template} CLI, whose {@code lookup} returns nothing),
 * so the chart's lookup needs an API server to answer. It also lets a test show that an existing
 * Secret is reused. Surefire points {@code KUBECONFIG} at the file this class writes.
 */
final class FakeKubeApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FakeKubeApi INSTANCE = start();

  private final Map<String, Map<String, Object>> secrets = new ConcurrentHashMap<>();

  private FakeKubeApi() {}

  /** The running server; the kubeconfig naming it is written before this returns. */
  static FakeKubeApi instance() {
    return INSTANCE;
  }

  /** Makes {@code GET} of the Secret {@code namespace/name} answer with these data. */
  void putSecret(String namespace, String name, Map<String, String> data) {
    secrets.put(
        namespace + "/" + name,
        Map.of(
            "apiVersion", "v1",
            "kind", "Secret",
            "metadata", Map.of("name", name, "namespace", namespace),
            "type", "kubernetes.io/tls",
            "data", data));
  }

  void clear() {
    secrets.clear();
  }

  private static FakeKubeApi start() {
    FakeKubeApi api = new FakeKubeApi();
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", api::handle);
      server.start();
      String kubeconfig = System.getenv("KUBECONFIG");
      if (kubeconfig == null || kubeconfig.isBlank()) {
        throw new IllegalStateException(
            "KUBECONFIG is not set (expected: surefire sets it to a file under target/)");
      }
      Path file = Path.of(kubeconfig);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          """
          apiVersion: v1
          kind: Config
          clusters: [{name: fake, cluster: {server: "http://127.0.0.1:%d"}}]
          users: [{name: fake, user: {}}]
          contexts: [{name: fake, context: {cluster: fake, user: fake}}]
          current-context: fake
          """
              .formatted(server.getAddress().getPort()));
      return api;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Object body;
    int status = 200;
    if (path.equals("/api/v1")) {
      body =
          Map.of(
              "kind", "APIResourceList",
              "apiVersion", "v1",
              "groupVersion", "v1",
              "resources",
                  new Object[] {
                    Map.of(
                        "name", "secrets",
                        "singularName", "secret",
                        "namespaced", true,
                        "kind", "Secret",
                        "verbs", new String[] {"get", "list"})
                  });
    } else {
      String[] parts = path.split("/");
      // /api/v1/namespaces/{ns}/secrets/{name}
      Map<String, Object> secret =
          parts.length == 7 && parts[5].equals("secrets")
              ? secrets.get(parts[4] + "/" + parts[6])
              : null;
      if (secret != null && exchange.getRequestMethod().equals("GET")) {
        body = secret;
      } else {
        status = 404;
        body =
            Map.of(
                "kind", "Status",
                "apiVersion", "v1",
                "status", "Failure",
                "reason", "NotFound",
                "message", path + " not found",
                "code", 404);
      }
    }
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
