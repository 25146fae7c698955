package io.mcpsidecar.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The errors the transport answers itself are plain JSON-RPC error objects with the request's id,
 * never a serialised Java exception with its stack trace.
 */
class TransportErrorsTest {

  private static DemoServer stateful;

  private static DemoServer stateless;

  private static RawHttp http;

  private static RawHttp statelessHttp;

  @BeforeAll
  static void start() {
    stateful = DemoServer.start("127.0.0.1", 0, false);
    stateless = DemoServer.start("127.0.0.1", 0, true);
    http = new RawHttp(stateful);
    statelessHttp = new RawHttp(stateless);
  }

  @AfterAll
  static void stop() {
    stateful.close();
    stateless.close();
  }

  static void assertNoJavaInternals(HttpResponse<String> response) {
    assertThat(response.body())
        .doesNotContain("stackTrace")
        .doesNotContain("Exception")
        .doesNotContain("io.modelcontextprotocol")
        .doesNotContain("<html");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
  }

  @Test
  void answersACallWithoutASessionWith400AndAJsonRpcError() throws Exception {
    HttpResponse<String> response = http.post(RawHttp.callTool(4, "echo", "{\"message\":\"x\"}"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo(
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":-32000,"
                + "\"message\":\"Session ID required in mcp-session-id header\"}}");
    assertNoJavaInternals(response);
  }

  @Test
  void answersAnUnknownSessionWith404AndTheSessionNotFoundCode() throws Exception {
    HttpResponse<String> response =
        http.post(
            "{\"jsonrpc\":\"2.0\",\"id\":\"call-5\",\"method\":\"tools/list\"}",
            "Mcp-Session-Id",
            "no-such-session");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body())
        .isEqualTo(
            "{\"jsonrpc\":\"2.0\",\"id\":\"call-5\",\"error\":{\"code\":-32001,"
                + "\"message\":\"Session not found: no-such-session\"}}");
    assertNoJavaInternals(response);
  }

  @Test
  void answersAWrongAcceptHeaderWithAJsonRpcError() throws Exception {
    HttpResponse<String> response =
        http.exchange(
            "POST",
            RawHttp.initialize(6),
            "Content-Type",
            "application/json",
            "Accept",
            "text/html");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .startsWith("{\"jsonrpc\":\"2.0\",\"id\":6,\"error\":{\"code\":-32000,");
    assertNoJavaInternals(response);
  }

  @Test
  void answersABodyThatIsNotJsonRpcWithANullIdAndTheInvalidRequestCode() throws Exception {
    HttpResponse<String> response = http.post("{not json", "Mcp-Session-Id", "no-such-session");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,");
    assertNoJavaInternals(response);
  }

  @Test
  void answersAGetWithoutASessionWithAJsonRpcError() throws Exception {
    HttpResponse<String> response = http.exchange("GET", "", "Accept", "text/event-stream");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,");
    assertNoJavaInternals(response);
  }

  @Test
  void statelessModeAnswersItsTransportErrorsTheSameWay() throws Exception {
    HttpResponse<String> get = statelessHttp.exchange("GET", "", "Accept", "text/event-stream");
    HttpResponse<String> wrongType =
        statelessHttp.exchange(
            "POST",
            RawHttp.callTool(8, "echo", "{\"message\":\"x\"}"),
            "Content-Type",
            "text/plain",
            "Accept",
            RawHttp.ACCEPT_BOTH);

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.body())
        .startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,");
    assertNoJavaInternals(get);
    assertThat(wrongType.statusCode()).isGreaterThanOrEqualTo(400);
    assertThat(wrongType.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":8,\"error\":{");
    assertNoJavaInternals(wrongType);
  }
}
