package io.mcpsidecar.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session life cycle of stateful mode, seen on the wire. */
class StreamableSessionTest {

  private static DemoServer server;

  private static RawHttp http;

  @BeforeAll
  static void start() {
    server = DemoServer.start("127.0.0.1", 0, false);
    http = new RawHttp(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void urlNamesTheBoundPortAndTheMcpPath() {
    assertThat(server.port()).isPositive();
    assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/mcp");
  }

  @Test
  void initializeIssuesASessionThatToolCallsAnswerOverSse() throws Exception {
    String session = initialize();

    HttpResponse<String> call =
        http.post(
            RawHttp.callTool(2, "echo", "{\"message\":\"over sse\"}"), "Mcp-Session-Id", session);

    assertThat(call.statusCode()).isEqualTo(200);
    assertThat(call.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    assertThat(call.body()).contains("event: message").contains("\"id\":2").contains("over sse");
  }

  @Test
  void getOpensTheServerToClientStream() throws Exception {
    String session = initialize();

    HttpResponse<InputStream> stream =
        http.open("GET", "Accept", "text/event-stream", "Mcp-Session-Id", session);
    try {
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    } finally {
      stream.body().close();
    }
  }

  @Test
  void deleteEndsTheSessionAndLaterRequestsGet404() throws Exception {
    String session = initialize();

    assertThat(http.send("DELETE", "Mcp-Session-Id", session).statusCode()).isEqualTo(200);

    HttpResponse<String> after =
        http.post(RawHttp.callTool(3, "echo", "{\"message\":\"x\"}"), "Mcp-Session-Id", session);
    assertThat(after.statusCode()).isEqualTo(404);
  }

  @Test
  void requestsWithoutASessionAreRejected() throws Exception {
    HttpResponse<String> response = http.post(RawHttp.callTool(4, "echo", "{\"message\":\"x\"}"));

    assertThat(response.statusCode()).isEqualTo(400);
  }

  private static String initialize() throws Exception {
    HttpResponse<String> response = http.post(RawHttp.initialize(1));
    assertThat(response.statusCode()).isEqualTo(200);
    String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    HttpResponse<String> initialized =
        http.post(
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            "Mcp-Session-Id",
            session);
    assertThat(initialized.statusCode()).isEqualTo(202);
    return session;
  }
}
