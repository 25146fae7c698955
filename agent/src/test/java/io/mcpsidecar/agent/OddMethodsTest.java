package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MCP endpoint serves GET, POST and DELETE. Any other method is refused with 405 and an {@code
 * Allow} header before anything else looks at it (identity would otherwise answer 401 here), and
 * never reaches the server. A CORS preflight still reaches the server, as it always did.
 */
class OddMethodsTest {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
  private static StubUpstream upstream;
  private static Agent locked;
  private static Agent open;

  @BeforeAll
  static void start() {
    upstream = new StubUpstream();
    locked =
        TestAgents.start(
            TestAgents.config(upstream.url(), "identity:\n  anonymous: {allowed: false}\n"));
    open = TestAgents.start(upstream.url());
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(locked);
    TestAgents.stop(open);
    upstream.close();
  }

  @BeforeEach
  void answerOk() {
    upstream.received().clear();
    upstream.handle(req -> req.response().setStatusCode(204).end());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ZZQ001", "PUT", "PATCH", "TRACE", "OPTIONS", "CONNECT_ME"})
  void refusesAnyOtherMethodWith405BeforeIdentityAndNeverForwardsIt(String method)
      throws Exception {
    try (RawHttp client = new RawHttp(locked.mcpPort(), READ_TIMEOUT)) {
      String answer =
          client
              .send(
                  method
                      + " /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 2\r\n\r\n{}")
              .readUntilClosed()
              .text();
      assertThat(answer).startsWith("HTTP/1.1 405");
      assertThat(answer).containsIgnoringCase("\r\nAllow: GET, POST, DELETE\r\n");
      JsonObject error =
          new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
      assertThat(error.getInteger("code")).isEqualTo(-32008);
      assertThat(error.getJsonObject("data").getString("type")).isEqualTo("method_not_allowed");
    }
    assertThat(upstream.received()).isEmpty();
    // A method a client makes up never becomes a label of its own; HTTP's own methods keep their
    // names (OpenTelemetry's known set), a closed set of nine.
    boolean known = java.util.Set.of("PUT", "PATCH", "TRACE", "OPTIONS").contains(method);
    assertThat(
            RawHttp.metric(
                locked,
                "mcp_sidecar_http_requests_total{http_request_method=\""
                    + method
                    + "\",http_response_status_code=\"405\"}"))
        .isEqualTo(known ? 1 : -1);
  }

  @Test
  void refusesABodylessHeadWith405() throws Exception {
    try (RawHttp client = new RawHttp(locked.mcpPort(), READ_TIMEOUT)) {
      String answer =
          client.send("HEAD /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readUntil("\r\n\r\n");
      assertThat(answer).startsWith("HTTP/1.1 405");
      assertThat(answer).containsIgnoringCase("\r\nAllow: GET, POST, DELETE\r\n");
    }
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void passesACorsPreflightToTheServerAsBefore() throws Exception {
    try (RawHttp client = new RawHttp(open.mcpPort(), READ_TIMEOUT)) {
      String answer =
          client
              .send(
                  "OPTIONS /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:6274\r\n"
                      + "Access-Control-Request-Method: POST\r\n\r\n")
              .readUntil("\r\n\r\n");
      assertThat(answer).startsWith("HTTP/1.1 204");
    }
    assertThat(upstream.received()).hasSize(1);
    assertThat(upstream.received().get(0).method()).isEqualTo("OPTIONS");
  }

  @Test
  void refusesAPreflightFromAForeignOriginAtTheEdge() throws Exception {
    try (RawHttp client = new RawHttp(open.mcpPort(), READ_TIMEOUT)) {
      String answer =
          client
              .send(
                  "OPTIONS /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example.net\r\n"
                      + "Access-Control-Request-Method: POST\r\n\r\n")
              .readUntil("-32003");
      assertThat(answer).startsWith("HTTP/1.1 403");
    }
    assertThat(upstream.received()).isEmpty();
  }
}
