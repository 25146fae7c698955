package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.ParseResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The agent's own error bodies are valid JSON, and echo the client's id, whatever it holds. */
class ErrorBodiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonRpcParser parser = new JsonRpcParser(10);

  @Property(tries = 500)
  void echoesAnyStringIdExactlyInValidJson(@ForAll("hostileStrings") String id) throws Exception {
    String request =
        "{\"jsonrpc\":\"2.0\",\"id\":" + asciiLiteral(id) + ",\"method\":\"tools/call\"}";
    ParseResult parsed = parser.parse(request.getBytes(StandardCharsets.US_ASCII));
    String idText = ((ParseResult.Parsed) parsed).messages().get(0).id();

    JsonNode body = wire(Responses.body("r-1", idText, Rejection.of(ErrorCode.RATE_LIMITED, "x")));

    assertThat(body.get("id").asText()).isEqualTo(id);
  }

  @Property(tries = 500)
  void writesValidJsonForAnyMessageAndData(
      @ForAll("hostileStrings") String message,
      @ForAll("hostileStrings") String value,
      @ForAll("hostileStrings") String requestId)
      throws Exception {
    Rejection rejection =
        Rejection.of(
            ErrorCode.POLICY_DENIED,
            message,
            Map.of("tool", value, "nested", Map.of(value, List.of(value, 1))));

    JsonNode body = wire(Responses.body(requestId, "7", rejection));

    assertThat(body.get("error").get("code").asInt()).isEqualTo(-32011);
    assertThat(body.get("error").get("message").asText()).hasSameSizeAs(message);
    assertThat(body.get("error").get("data").get("tool").asText()).hasSameSizeAs(value);
  }

  @Example
  void escapesControlCharactersLineSeparatorsAndLoneSurrogatesInIds() throws Exception {
    String id = "a\u0001b\u2028c\ud800d\"\\";
    String request =
        "{\"jsonrpc\":\"2.0\",\"id\":" + asciiLiteral(id) + ",\"method\":\"tools/call\"}";
    String idText =
        ((ParseResult.Parsed) parser.parse(request.getBytes(StandardCharsets.US_ASCII)))
            .messages()
            .get(0)
            .id();

    assertThat(idText).isEqualTo("\"a\\u0001b\\u2028c\\ud800d\\\"\\\\\"");
    assertThat(
            wire(Responses.body("r", idText, Rejection.of(ErrorCode.INTERNAL, "m")))
                .get("id")
                .asText())
        .isEqualTo(id);
  }

  @Provide
  Arbitrary<String> hostileStrings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.strings()
            .withChars('\u0000', '\u001f', '\u007f', '\u2028', '\u2029', '"', '\\', 'a', '\ud800')
            .withChars('\udc00', '\udbff', '\udfff', '\uffff', '\u00e9')
            .ofMaxLength(40));
  }

  /** Parses the body as the client gets it: UTF-8 bytes. */
  private static JsonNode wire(String body) throws Exception {
    return JSON.readTree(body.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON string literal in pure ASCII, every other character escaped, as a client may send. */
  private static String asciiLiteral(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.append('"').toString();
  }
}
