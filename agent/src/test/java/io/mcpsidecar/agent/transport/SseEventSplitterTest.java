package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseEventSplitterTest {

  private static final String STREAM =
      "id: 1\nretry: 3000\ndata:\n\n"
          + "event: message\r\nid: 2\r\ndata: {\"a\":1}\r\n\r\n"
          + ": a comment\n\n"
          + "data: line one\ndata: line two\n\n";
  private static final List<String> EVENTS =
      List.of(
          "id: 1\nretry: 3000\ndata:\n\n",
          "event: message\r\nid: 2\r\ndata: {\"a\":1}\r\n\r\n",
          ": a comment\n\n",
          "data: line one\ndata: line two\n\n");

  private static List<SseEventSplitter.Piece> split(List<String> chunks, int max) {
    List<SseEventSplitter.Piece> pieces = new ArrayList<>();
    SseEventSplitter splitter = new SseEventSplitter(max, pieces::add);
    chunks.forEach(c -> splitter.feed(Buffer.buffer(c)));
    splitter.finish();
    return pieces;
  }

  @Test
  void cutsAStreamIntoWholeEventsKeepingEveryByte() {
    List<SseEventSplitter.Piece> pieces = split(List.of(STREAM), 1 << 20);
    assertThat(pieces).extracting(p -> p.bytes().toString()).containsExactlyElementsOf(EVENTS);
    assertThat(pieces).allMatch(SseEventSplitter.Piece::wholeEvent);
  }

  @ParameterizedTest(name = "random chunking, seed {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void findsTheSameEventsWhateverTheChunking(int seed) {
    Random random = new Random(seed);
    List<String> chunks = new ArrayList<>();
    int at = 0;
    while (at < STREAM.length()) {
      int next = Math.min(STREAM.length(), at + 1 + random.nextInt(7));
      chunks.add(STREAM.substring(at, next));
      at = next;
    }
    List<SseEventSplitter.Piece> pieces = split(chunks, 1 << 20);
    String joined = String.join("", pieces.stream().map(p -> p.bytes().toString()).toList());
    assertThat(joined).isEqualTo(STREAM);
    // A CRLF split between chunks may move its LF into the next piece; content is unchanged and
    // every event still ends at its blank line.
    assertThat(pieces.size()).isBetween(EVENTS.size(), EVENTS.size() + 2);
  }

  @Test
  void passesAnOversizedEventOnInPiecesAndMarksItUnobserved() {
    String huge = "data: " + "x".repeat(5000) + "\n\n";
    List<SseEventSplitter.Piece> pieces =
        split(List.of(huge.substring(0, 3000), huge.substring(3000), "data: small\n\n"), 1024);
    String joined = String.join("", pieces.stream().map(p -> p.bytes().toString()).toList());
    assertThat(joined).isEqualTo(huge + "data: small\n\n");
    assertThat(pieces.get(pieces.size() - 1).bytes().toString()).isEqualTo("data: small\n\n");
    assertThat(pieces.get(pieces.size() - 1).wholeEvent()).isTrue();
    assertThat(pieces.subList(0, pieces.size() - 1)).noneMatch(SseEventSplitter.Piece::wholeEvent);
  }

  @Test
  void passesOnAnUnterminatedTailWhenTheStreamEnds() {
    List<SseEventSplitter.Piece> pieces = split(List.of("data: a\n\ndata: partial"), 1024);
    assertThat(pieces)
        .extracting(p -> p.bytes().toString())
        .containsExactly("data: a\n\n", "data: partial");
    assertThat(pieces.get(1).wholeEvent()).isFalse();
  }

  @Test
  void readsEventTypeAndJoinedData() {
    SseEvent event = SseEvent.parse(Buffer.buffer("event: endpoint\r\ndata: /a\ndata:b\n\n"));
    assertThat(event.event()).isEqualTo("endpoint");
    assertThat(event.data()).isEqualTo("/a\nb");
    assertThat(SseEvent.parse(Buffer.buffer("data: {\"x\":1}\n\n")).carriesJson()).isTrue();
  }
}
