package io.mcpsidecar.agent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonRpcParserTest {

  private final JsonRpcParser parser = new JsonRpcParser(3);

  private ParseResult parse(String json) {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private JsonRpcMessage single(String json) {
    ParseResult result = parse(json);
    assertThat(result).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) result).first();
  }

  @Test
  void readsAToolCallWithItsTargetAndMeta() {
    JsonRpcMessage m =
        single(
            "{\"params\":{\"arguments\":{\"name\":\"not-this\",\"deep\":[1,{\"uri\":\"x\"}]},"
                + "\"name\":\"echo\",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":"
                + "\"2026-07-28\",\"traceparent\":\"00-abc-def-01\"}},"
                + "\"method\":\"tools/call\",\"id\":\"a\\\"b\",\"jsonrpc\":\"2.0\"}");
    assertThat(m.kind()).isEqualTo(MessageKind.REQUEST);
    assertThat(m.id()).isEqualTo("\"a\\\"b\"");
    assertThat(m.method()).isEqualTo("tools/call");
    assertThat(m.target()).isEqualTo("echo");
    assertThat(m.metaProtocolVersion()).isEqualTo("2026-07-28");
    assertThat(m.metaTraceparent()).isEqualTo("00-abc-def-01");
  }

  @Test
  void readsResourceUrisAndNotifications() {
    assertThat(
            single(
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/read\","
                        + "\"params\":{\"uri\":\"file:///a\"}}")
                .target())
        .isEqualTo("file:///a");
    JsonRpcMessage n = single("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    assertThat(n.kind()).isEqualTo(MessageKind.NOTIFICATION);
    assertThat(n.id()).isNull();
  }

  @Test
  void readsResponsesWithErrorCodesAndToolErrors() {
    JsonRpcMessage error =
        single("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"x\"}}");
    assertThat(error.kind()).isEqualTo(MessageKind.RESPONSE);
    assertThat(error.errorCode()).isEqualTo(-32601);
    JsonRpcMessage toolError =
        single("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[],\"isError\":true}}");
    assertThat(toolError.toolError()).isTrue();
    assertThat(toolError.errorCode()).isNull();
  }

  @Test
  void readsBatchesUpToTheLimit() {
    ParseResult ok =
        parse(
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\"}]");
    assertThat(((ParseResult.Parsed) ok).batch()).isTrue();
    assertThat(((ParseResult.Parsed) ok).messages()).hasSize(2);
    ParseResult tooMany =
        parse(
            "["
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},".repeat(3)
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
    assertThat(tooMany).isInstanceOf(ParseResult.Invalid.class);
    assertThat(parse("[]")).isInstanceOf(ParseResult.Invalid.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "truncated | {\"jsonrpc\":\"2.0\",",
        "trailing garbage | {\"jsonrpc\":\"2.0\",\"method\":\"ping\"} x",
        "duplicate key | {\"jsonrpc\":\"2.0\",\"method\":\"a\",\"method\":\"b\"}",
        "empty | ''",
      })
  void reportsMalformedJson(String name, String json) {
    assertThat(parse(json)).isInstanceOf(ParseResult.Malformed.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "wrong version | {\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
        "null id | {\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
        "object id | {\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}",
        "numeric method | {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}",
        "response with both | {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{}}",
        "nothing | {\"jsonrpc\":\"2.0\"}",
        "a string | \"hello\"",
      })
  void reportsJsonThatIsNotJsonRpc(String name, String json) {
    assertThat(parse(json)).isInstanceOf(ParseResult.Invalid.class);
  }

  @Test
  void keepsTheIdOfAnInvalidMessage() {
    ParseResult result = parse("{\"jsonrpc\":\"1.0\",\"id\":9,\"method\":\"ping\"}");
    assertThat(((ParseResult.Invalid) result).id()).isEqualTo("9");
  }

  @Test
  void capsLongStrings() {
    String longName = "n".repeat(JsonRpcParser.MAX_FIELD_CHARS * 2);
    JsonRpcMessage m =
        single(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\""
                + longName
                + "\"}}");
    assertThat(m.target()).hasSize(JsonRpcParser.MAX_FIELD_CHARS);
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    String deep =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":"
            + "[".repeat(500)
            + "]".repeat(500)
            + "}";
    assertThat(parse(deep)).isInstanceOf(ParseResult.Malformed.class);
  }
}
