package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Standalone GET streams are bounded per session, per tenant and by their own pool, and never take
 * the connections that calls need.
 */
class StreamLimitsTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Socket> sockets = new ArrayList<>();
  private StubUpstream upstream;
  private Agent agent;

  @BeforeEach
  void start() {
    upstream = new StubUpstream();
    upstream.handle(
        req -> {
          if (req.method().name().equals("GET")) {
            // an idle stream: headers and a comment, then nothing
            req.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .write(": open\n\n");
          } else {
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
          }
        });
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    TestAgents.stop(agent);
    upstream.close();
  }

  private void agent(String yaml) {
    // the lines go on the config's upstream section: upstream keys first, indented
    agent = TestAgents.start(TestAgents.config(upstream.url(), yaml));
  }

  @Test
  void aCallStillGetsAConnectionWhenIdleStreamsFillTheCallPool() throws Exception {
    agent(
        "  maxConnections: 4\n  connectTimeout: 500ms\n  streamConnections: 10\n"
            + "limits:\n  streams: {perSession: 1}\n");
    for (int i = 0; i < 4; i++) {
      assertThat(openStream("s" + i)).startsWith("HTTP/1.1 200");
    }

    HttpResponse<String> call = initialize();

    assertThat(call.statusCode()).isEqualTo(200);
    assertThat(call.body()).contains("\"result\"");
  }

  @Test
  void refusesASecondStreamOfTheSameSessionWith405() throws Exception {
    agent("  streamConnections: 10\nlimits:\n  streams: {perSession: 1}\n");
    assertThat(openStream("a")).startsWith("HTTP/1.1 200");

    String refused = openStream("a");

    assertThat(refused).startsWith("HTTP/1.1 405").containsIgnoringCase("Allow: POST, DELETE");
    JsonObject error = body(refused).getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(-32021);
    assertThat(error.getJsonObject("data").getString("type")).isEqualTo("stream_limited");
    assertThat(error.getJsonObject("data").getString("scope")).isEqualTo("session");
    assertThat(openStream("b")).as("another session").startsWith("HTTP/1.1 200");
  }

  @Test
  void refusesStreamsPastTheTenantLimit() throws Exception {
    agent("  streamConnections: 10\nlimits:\n  streams: {perSession: 0, perTenant: 2}\n");
    assertThat(openStream("a")).startsWith("HTTP/1.1 200");
    assertThat(openStream("b")).startsWith("HTTP/1.1 200");

    String refused = openStream("c");

    assertThat(refused).startsWith("HTTP/1.1 405");
    assertThat(body(refused).getJsonObject("error").getJsonObject("data").getString("scope"))
        .isEqualTo("tenant");
  }

  @Test
  void refusesStreamsPastTheStreamPoolAtOnceAndFreesThePlaceWhenOneCloses() throws Exception {
    agent("  streamConnections: 2\nlimits:\n  streams: {perSession: 0}\n");
    assertThat(openStream("a")).startsWith("HTTP/1.1 200");
    assertThat(openStream("b")).startsWith("HTTP/1.1 200");

    String refused = openStream("c");

    assertThat(refused).startsWith("HTTP/1.1 405");
    assertThat(body(refused).getJsonObject("error").getJsonObject("data").getString("scope"))
        .isEqualTo("agent");
    sockets.get(0).close();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> agent.endpoint().streams().standaloneReserved() == 1);
    assertThat(openStream("d")).startsWith("HTTP/1.1 200");
  }

  private HttpResponse<String> initialize() throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Opens a GET stream of {@code session} on a socket kept open; returns what arrived up to the
   * first event (or the whole refusal).
   */
  private String openStream(String session) throws IOException {
    Socket socket = new Socket("127.0.0.1", agent.mcpPort());
    sockets.add(socket);
    socket.setSoTimeout(10_000);
    socket
        .getOutputStream()
        .write(
            ("GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Mcp-Session-Id: "
                    + session
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    String head = readUntil(in, "\r\n\r\n");
    if (head.startsWith("HTTP/1.1 200")) {
      return head + readUntil(in, ": open\n\n");
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return head + new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private static String readUntil(InputStream in, String end) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.UTF_8).endsWith(end)) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      seen.write(b);
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  private static JsonObject body(String response) {
    return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
  }
}
