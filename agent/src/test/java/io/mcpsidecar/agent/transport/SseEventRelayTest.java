package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseEventRelayTest {

  private static final JsonRpcParser PARSER = new JsonRpcParser(10_000);
  private static final EndpointRewriter REWRITER =
      new EndpointRewriter(URI.create("http://127.0.0.1:8080/mcp"));

  private final List<JsonRpcMessage> messages = new ArrayList<>();
  private final SseEventRelay relay = new SseEventRelay(REWRITER, PARSER, messages::add);

  private static Buffer event(String text) {
    return Buffer.buffer(text);
  }

  private List<String> ids() {
    return messages.stream().map(JsonRpcMessage::id).toList();
  }

  @Test
  void passesEventsOnUnchangedAndObservesTheResponsesInThem() {
    Buffer response =
        event("id: 4\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n");
    assertThat(relay.onEvent(response)).isSameAs(response);
    assertThat(ids()).containsExactly("1");
    assertThat(messages.get(0).kind().name()).isEqualTo("RESPONSE");
  }

  @Test
  void readsDataSpreadOverLinesWithAnyLineEnding() {
    relay.onEvent(
        event("data: {\"jsonrpc\":\"2.0\",\r\ndata:\"id\":\"a\",\rdata: \"result\":{}}\r\r"));
    relay.onEvent(
        event(
            "event:message\r\ndata:  [{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32001,"
                + "\"message\":\"no\"}}]\r\n\r\n"));
    assertThat(ids()).containsExactly("\"a\"", "2");
    assertThat(messages.get(1).errorCode()).isEqualTo(-32001);
  }

  @Test
  void findsAnIdWhoseNameIsEscaped() {
    relay.onEvent(event("data: {\"jsonrpc\":\"2.0\",\"\\u0069d\":3,\"result\":{}}\n\n"));
    relay.onEvent(event("data: {\"jsonrpc\":\"2.0\",\"i\\u0064\":4,\"result\":{}}\n\n"));
    assertThat(ids()).containsExactly("3", "4");
  }

  @Test
  void doesNotParseMessagesThatCannotAnswerARequest() {
    relay.onEvent(
        event(
            "id: 7\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                + "\"params\":{\"progressToken\":\"t\",\"progress\":7}}\n\n"));
    relay.onEvent(event(": keepalive\n\n"));
    relay.onEvent(event("data: not json\n\n"));
    assertThat(messages).isEmpty();
  }

  @Test
  void readsResponsesWithNonAsciiTextAndFallsBackToDecodingForBadUtf8() {
    relay.onEvent(
        event("data: {\"jsonrpc\":\"2.0\",\"id\":\"é\",\"result\":{\"text\":\"日本 😀\"}}\n\n"));
    byte[] bad =
        concat(
            "data: {\"jsonrpc\":\"2.0\",\"id\":\"x".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xff},
            "\",\"result\":{}}\n\n".getBytes(StandardCharsets.US_ASCII));
    relay.onEvent(Buffer.buffer(bad));
    // The bad byte decodes to U+FFFD, as it always did.
    assertThat(ids()).containsExactly("\"é\"", "\"x\uFFFD\"");
  }

  @Test
  void rewritesAnEndpointEventInTheMiddleOfAChunk() {
    SseEventSplitter splitter = new SseEventSplitter(1 << 20, relay);
    String before = "id: 1\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n";
    String endpoint = "event: endpoint\r\ndata: http://127.0.0.1:8080/messages?session=ab\r\n\r\n";
    String after = ": keepalive\n\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}\n\n";
    Buffer out = splitter.feed(Buffer.buffer(before + endpoint + after + "data: {\"json"));
    assertThat(out.toString())
        .isEqualTo(before + "event: endpoint\ndata: /messages?session=ab\n\n" + after);
    assertThat(ids()).containsExactly("1", "2");
    // An endpoint elsewhere is the server's choice and passes as it came.
    String other = "event: endpoint\ndata: https://other.example.com/messages\n\n";
    assertThat(splitter.feed(Buffer.buffer("rpc\":\"2.0\"}\n\n" + other)).toString())
        .isEqualTo("data: {\"jsonrpc\":\"2.0\"}\n\n" + other);
  }

  /**
   * The relay as it was before it read events from their bytes: every event decoded to text, its
   * data parsed whenever it looks like JSON. The relay must relay the same bytes and observe every
   * message with an id that this finds.
   */
  private static Buffer decodedRelay(Buffer raw, List<JsonRpcMessage> observed) {
    SseEvent event = SseEvent.parse(raw);
    Buffer out = REWRITER.rewrite(raw, event);
    if (event.carriesJson()) {
      ParseResult parsed = PARSER.parse(Buffer.buffer(event.data()).getBytes());
      if (parsed instanceof ParseResult.Parsed p) {
        observed.addAll(p.messages());
      }
    }
    return out;
  }

  private static final String[] JSON = {
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
    "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"error\":{\"code\":-32000,\"message\":\"x\"}}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":1}}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"data\":{\"id\":3}}}",
    "{\"jsonrpc\":\"2.0\",\"\\u0069d\":4,\"result\":{}}",
    "{\"jsonrpc\":\"2.0\",\"i\\u0064\":5,\"result\":{}}",
    "[{\"jsonrpc\":\"2.0\",\"id\":6,\"result\":{}},{\"jsonrpc\":\"2.0\",\"method\":\"x\"}]",
    "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[{\"text\":\"héllo 日本 😀\"}]}}",
    "{\"jsonrpc\":\"2.0\",\"id\":\"é8\",\"result\":{}}",
    "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"sampling/createMessage\",\"params\":{}}",
    "{\"jsonrpc\":\"2.0\",\"id\":10,\"result\":{\"isError\":true}}",
    "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"x\"}}",
    "{\"jsonrpc\":\"2.0\",\"id\":11,\"result\":{}} trailing",
    "{\"jsonrpc\":\"2.0\",\"id\":12,",
    "\"result\":{}}",
    "hello",
    "",
    " ",
    "\t{\"jsonrpc\":\"2.0\",\"id\":13,\"result\":{}}",
    "\u000B{\"jsonrpc\":\"2.0\",\"id\":14,\"result\":{}}",
    "\u3000{\"jsonrpc\":\"2.0\",\"id\":15,\"result\":{}}",
    "\uFEFF{\"jsonrpc\":\"2.0\",\"id\":16,\"result\":{}}",
    "é{\"jsonrpc\":\"2.0\",\"id\":17,\"result\":{}}",
    "http://127.0.0.1:8080/messages?s=1",
    "http://localhost:8080/m",
    "http://other:9/x",
    "/relative",
  };

  /** Bytes that are not well-formed UTF-8, or that decode to something else. */
  private static final byte[][] ODD_BYTES = {
    {(byte) 0xff},
    {(byte) 0xc3, '('},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
    {(byte) 0xc0, (byte) 0xaf},
    {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xe2, (byte) 0x82},
    {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80},
  };

  private static final String[] OTHER_LINES = {
    "event: endpoint",
    "event:endpoint",
    "event: endpointx",
    "event",
    "event: message",
    "eventy: endpoint",
    "id: 5",
    "retry: 100",
    ": comment \"id\"",
    "data",
    "datax: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
    "data:",
  };

  private static final String[] LINE_ENDS = {"\n", "\r\n", "\r"};

  private static byte[] randomEvent(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int lines = 1 + random.nextInt(4);
    for (int l = 0; l < lines; l++) {
      int kind = random.nextInt(10);
      if (kind < 4) {
        out.writeBytes(
            OTHER_LINES[random.nextInt(OTHER_LINES.length)].getBytes(StandardCharsets.UTF_8));
      } else {
        String prefix = new String[] {"data: ", "data:", "data:  "}[random.nextInt(3)];
        byte[] json = JSON[random.nextInt(JSON.length)].getBytes(StandardCharsets.UTF_8);
        if (kind == 9 && json.length > 0) {
          // Spoil the data with bytes that do not survive decoding.
          int at = random.nextInt(json.length);
          json =
              concat(
                  Arrays.copyOfRange(json, 0, at),
                  ODD_BYTES[random.nextInt(ODD_BYTES.length)],
                  Arrays.copyOfRange(json, at, json.length));
        }
        out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(json);
      }
      out.writeBytes(LINE_ENDS[random.nextInt(3)].getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(LINE_ENDS[random.nextInt(3)].getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void relaysAndObservesExactlyAsDecodingEveryEventDid() {
    Random random = new Random(42);
    int parsedSomewhere = 0;
    for (int n = 0; n < 50_000; n++) {
      byte[] bytes = randomEvent(random);
      // Also read events that sit inside a larger buffer, as they do in a chunk.
      Buffer raw =
          n % 2 == 0
              ? Buffer.buffer(bytes)
              : Buffer.buffer("data: x\n\n").appendBytes(bytes).slice(9, 9 + bytes.length);
      List<JsonRpcMessage> expected = new ArrayList<>();
      Buffer expectedOut = decodedRelay(Buffer.buffer(bytes), expected);
      messages.clear();
      Buffer out = relay.onEvent(raw);
      String what = new String(bytes, StandardCharsets.ISO_8859_1);
      assertThat(out.getBytes()).as(what).isEqualTo(expectedOut.getBytes());
      if (expectedOut.length() == bytes.length) {
        assertThat(out).as(what).isSameAs(raw);
      }
      List<JsonRpcMessage> withIds = expected.stream().filter(m -> m.id() != null).toList();
      if (withIds.isEmpty()) {
        assertThat(messages).as(what).isIn(List.of(), expected);
      } else {
        assertThat(messages).as(what).isEqualTo(expected);
        parsedSomewhere++;
      }
    }
    assertThat(parsedSomewhere).isGreaterThan(5_000);
  }

  @Test
  void validUtf8IsExactlyWhatSurvivesDecodingAndEncoding() {
    // Every sequence of one to three bytes, and four-byte sequences with a random tail.
    byte[] one = new byte[1];
    for (int a = 0; a < 256; a++) {
      one[0] = (byte) a;
      assertValidUtf8Agrees(one);
    }
    byte[] two = new byte[2];
    byte[] three = new byte[3];
    for (int a = 0x80; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        two[0] = (byte) a;
        two[1] = (byte) b;
        assertValidUtf8Agrees(two);
        if (a >= 0xe0 && a <= 0xef) {
          for (int c = 0x70; c < 0xc8; c++) {
            three[0] = (byte) a;
            three[1] = (byte) b;
            three[2] = (byte) c;
            assertValidUtf8Agrees(three);
          }
        }
      }
    }
    Random random = new Random(7);
    byte[] four = new byte[4];
    for (int n = 0; n < 200_000; n++) {
      four[0] = (byte) (0xf0 + random.nextInt(16));
      for (int k = 1; k < 4; k++) {
        four[k] = (byte) (0x70 + random.nextInt(0x58));
      }
      assertValidUtf8Agrees(four);
    }
    for (int n = 0; n < 100_000; n++) {
      byte[] text = new byte[1 + random.nextInt(12)];
      for (int k = 0; k < text.length; k++) {
        text[k] = (byte) (random.nextBoolean() ? random.nextInt(256) : 0x80 + random.nextInt(64));
      }
      assertValidUtf8Agrees(text);
    }
  }

  private static void assertValidUtf8Agrees(byte[] bytes) {
    boolean roundTrips =
        Arrays.equals(
            new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), bytes);
    byte[] padded = concat(new byte[] {'a'}, bytes, new byte[] {'b'});
    if (SseEventRelay.validUtf8(bytes, 0, bytes.length) != roundTrips
        || SseEventRelay.validUtf8(padded, 1, 1 + bytes.length) != roundTrips) {
      throw new AssertionError(
          "validUtf8 disagrees with a round trip for " + java.util.HexFormat.of().formatHex(bytes));
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
