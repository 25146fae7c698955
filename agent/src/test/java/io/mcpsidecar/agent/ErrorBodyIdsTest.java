package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A real agent's own error body echoes an id holding control characters, as valid JSON. */
class ErrorBodyIdsTest {

  @Test
  void echoesAnIdWithControlCharactersInAValidErrorBody() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort(); // nothing listens here once the socket is closed
    }
    Agent agent =
        TestAgents.start(
            TestAgents.config(
                "http://127.0.0.1:" + closed + "/mcp", "logging:\n  accessLog: false\n"));
    try (Socket client = new Socket("127.0.0.1", agent.mcpPort())) {
      String body =
          "{\"jsonrpc\":\"2.0\",\"id\":\"a\\u0001b\\u001fc\\u2028d\\ud800\",\"method\":\"tools/call\","
              + "\"params\":{\"name\":\"echo\"}}";
      client
          .getOutputStream()
          .write(
              ("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      + "Accept: application/json, text/event-stream\r\nConnection: close\r\n"
                      + "Content-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = client.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);

      assertThat(response).startsWith("HTTP/1.1 502");
      JsonNode error =
          new ObjectMapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertThat(error.get("id").asText()).isEqualTo("a\u0001b\u001fc\u2028d\ud800");
      assertThat(error.get("error").get("code").asInt()).isEqualTo(-32000);
    } finally {
      TestAgents.stop(agent);
    }
  }
}
