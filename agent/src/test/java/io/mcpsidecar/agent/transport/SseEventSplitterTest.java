package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
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

  /**
   * What the splitter made of a stream: the whole events it observed, in order, and the bytes it
   * gave back to relay for each chunk (the last entry: what {@code finish} gave back).
   */
  private record Split(List<String> events, List<String> relayed) {
    String joined() {
      return String.join("", relayed);
    }
  }

  private static Split split(List<String> chunks, int max) {
    List<String> events = new ArrayList<>();
    SseEventSplitter splitter =
        new SseEventSplitter(
            max,
            event -> {
              events.add(event.toString());
              return event;
            });
    List<String> relayed = new ArrayList<>();
    chunks.forEach(c -> relayed.add(splitter.feed(Buffer.buffer(c)).toString()));
    relayed.add(splitter.finish().toString());
    return new Split(events, relayed);
  }

  @Test
  void cutsAStreamIntoWholeEventsKeepingEveryByte() {
    Split split = split(List.of(STREAM), 1 << 20);
    assertThat(split.events()).containsExactlyElementsOf(EVENTS);
    assertThat(split.relayed()).containsExactly(STREAM, "");
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
    Split split = split(chunks, 1 << 20);
    assertThat(split.joined()).isEqualTo(STREAM);
    assertThat(String.join("", split.events())).isEqualTo(STREAM);
    // A CRLF split between chunks may move its LF into the next event; content is unchanged and
    // every event still ends at its blank line.
    assertThat(split.events().size()).isBetween(EVENTS.size(), EVENTS.size() + 2);
  }

  @Test
  void passesAnOversizedEventOnInPiecesAndMarksItUnobserved() {
    String huge = "data: " + "x".repeat(5000) + "\n\n";
    Split split =
        split(List.of(huge.substring(0, 3000), huge.substring(3000), "data: small\n\n"), 1024);
    assertThat(split.joined()).isEqualTo(huge + "data: small\n\n");
    assertThat(split.events()).containsExactly("data: small\n\n");
  }

  @Test
  void passesOnAnUnterminatedTailWhenTheStreamEnds() {
    Split split = split(List.of("data: a\n\ndata: partial"), 1024);
    assertThat(split.events()).containsExactly("data: a\n\n");
    assertThat(split.relayed()).containsExactly("data: a\n\n", "data: partial");
  }

  /** Events with every line ending, comments and keepalives, CRLF pairs in every position. */
  private static final List<String> MIXED =
      List.of(
          "id: 1\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n",
          "event: message\r\ndata: crlf\r\n\r\n",
          ": keepalive\n\n",
          "data: cr only\r\r",
          ":\r\n\r\n",
          "id: 2\rdata: a\ndata: b\r\n\n",
          "data: mixed\n\r\n",
          "retry: 10\r\n\r");

  private static final String MIXED_STREAM = String.join("", MIXED);

  /**
   * Where the events of {@link #MIXED_STREAM} end when it arrives in these chunks: after each blank
   * line, or, when a chunk ends between the CR and the LF of a blank line, at its CR (the LF then
   * starts the next event).
   */
  private static Set<Integer> eventEnds(List<String> chunks) {
    Set<Integer> cuts = new TreeSet<>();
    int fed = 0;
    for (String chunk : chunks) {
      fed += chunk.length();
      cuts.add(fed);
    }
    Set<Integer> ends = new TreeSet<>();
    ends.add(0);
    int at = 0;
    for (String event : MIXED) {
      at += event.length();
      boolean crlfBlankLine = event.endsWith("\n\r\n") || event.endsWith("\r\r\n");
      ends.add(crlfBlankLine && cuts.contains(at - 1) ? at - 1 : at);
    }
    return ends;
  }

  /** An event without the effect of a chunk cut inside the CRLF of a blank line. */
  private static String uncut(String event) {
    String e = event.startsWith("\n") ? event.substring(1) : event;
    return e.endsWith("\r\n") ? e.substring(0, e.length() - 1) : e;
  }

  /**
   * Feeds the chunks and checks, after each one, that exactly the events it completed were given
   * back to relay: everything up to the last event end reached, nothing beyond it.
   */
  private static void assertRelaysEachEventWithTheChunkThatCompletesIt(List<String> chunks) {
    List<String> events = new ArrayList<>();
    SseEventSplitter splitter =
        new SseEventSplitter(
            1 << 20,
            event -> {
              events.add(event.toString());
              return event;
            });
    Set<Integer> ends = eventEnds(chunks);
    StringBuilder relayed = new StringBuilder();
    int fed = 0;
    for (String chunk : chunks) {
      fed += chunk.length();
      relayed.append(splitter.feed(Buffer.buffer(chunk)).toString());
      int reached = 0;
      for (int end : ends) {
        if (end <= fed) {
          reached = end;
        }
      }
      assertThat(relayed.toString()).as("relayed after %s", chunks).hasSize(reached);
    }
    relayed.append(splitter.finish().toString());
    assertThat(relayed.toString()).isEqualTo(MIXED_STREAM);
    // The same events, in order.
    assertThat(String.join("", events)).isEqualTo(MIXED_STREAM);
    assertThat(events.stream().map(SseEventSplitterTest::uncut).toList())
        .as("events of %s", chunks)
        .isEqualTo(MIXED.stream().map(SseEventSplitterTest::uncut).toList());
  }

  @Test
  void relaysEveryEventWithTheChunkThatCompletesItWhereverTheStreamIsCut() {
    int n = MIXED_STREAM.length();
    for (int i = 0; i <= n; i++) {
      assertRelaysEachEventWithTheChunkThatCompletesIt(
          List.of(MIXED_STREAM.substring(0, i), MIXED_STREAM.substring(i)));
    }
  }

  @Test
  void relaysEveryEventWithTheChunkThatCompletesItWhereverTheStreamIsCutTwice() {
    int n = MIXED_STREAM.length();
    for (int i = 0; i <= n; i++) {
      for (int j = i; j <= n; j++) {
        assertRelaysEachEventWithTheChunkThatCompletesIt(
            List.of(
                MIXED_STREAM.substring(0, i),
                MIXED_STREAM.substring(i, j),
                MIXED_STREAM.substring(j)));
      }
    }
  }

  @Test
  void relaysAStreamFedOneByteAtATime() {
    List<String> bytes = new ArrayList<>();
    for (int i = 0; i < MIXED_STREAM.length(); i++) {
      bytes.add(MIXED_STREAM.substring(i, i + 1));
    }
    assertRelaysEachEventWithTheChunkThatCompletesIt(bytes);
  }

  @Test
  void readsLfCrlfAndCrLineEndingsAndComments() {
    Split split = split(List.of(MIXED_STREAM), 1 << 20);
    assertThat(split.events()).containsExactlyElementsOf(MIXED);
    assertThat(split.relayed()).containsExactly(MIXED_STREAM, "");
  }

  @Test
  void givesBackAChunkOfManyEventsAsOneBufferInOrder() {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      events.add("id: " + i + "\nevent: message\ndata: {\"n\":" + i + "}\n\n");
    }
    String chunk = String.join("", events);
    Split split = split(List.of(chunk + "data: unfin", "ished\n\n"), 1 << 20);
    assertThat(split.events())
        .containsExactlyElementsOf(
            Stream.concat(events.stream(), Stream.of("data: unfinished\n\n")).toList());
    assertThat(split.relayed()).containsExactly(chunk, "data: unfinished\n\n", "");
  }

  @Test
  void relaysTheEventsAHandlerReplacesInPlaceAndTheRestUnchanged() {
    SseEventSplitter splitter =
        new SseEventSplitter(
            1 << 20,
            event ->
                event.toString().startsWith("event: swap")
                    ? Buffer.buffer("data: swapped " + event.length() + "\n\n")
                    : event);
    String chunk =
        "data: 1\n\nevent: swap\n\nevent: swap\r\n\r\ndata: 2\n\nevent: swap\n\ndata: par";
    assertThat(splitter.feed(Buffer.buffer(chunk)).toString())
        .isEqualTo(
            "data: 1\n\ndata: swapped 13\n\ndata: swapped 15\n\ndata: 2\n\n"
                + "data: swapped 13\n\n");
    assertThat(splitter.feed(Buffer.buffer("tial\n\nevent: swap\n\n")).toString())
        .isEqualTo("data: partial\n\ndata: swapped 13\n\n");
    assertThat(splitter.finish().length()).isZero();
  }

  @Test
  void neverHoldsMoreThanTheLimitOfAnEventThatOutgrowsIt() {
    int max = 1000;
    String huge = "id: 9\ndata: " + "y".repeat(10_000) + "\n\n";
    String stream = "data: before\n\n" + huge + "data: after\r\n\r\n";
    List<String> events = new ArrayList<>();
    SseEventSplitter splitter =
        new SseEventSplitter(
            max,
            event -> {
              events.add(event.toString());
              return event;
            });
    StringBuilder relayed = new StringBuilder();
    for (int at = 0; at < stream.length(); at += 333) {
      String chunk = stream.substring(at, Math.min(stream.length(), at + 333));
      relayed.append(splitter.feed(Buffer.buffer(chunk)));
      int fed = Math.min(stream.length(), at + 333);
      assertThat(fed - relayed.length()).as("held after %d bytes", fed).isLessThanOrEqualTo(max);
    }
    relayed.append(splitter.finish());
    assertThat(relayed.toString()).isEqualTo(stream);
    assertThat(events).containsExactly("data: before\n\n", "data: after\r\n\r\n");
  }

  @Test
  void anEventThatOutgrowsTheLimitInOneChunkIsPassedOnWithTheEventsBeforeIt() {
    String big = "data: " + "z".repeat(100);
    Split split = split(List.of("data: a\n\n" + big, "\n\ndata: b\n\n"), 64);
    assertThat(split.relayed()).containsExactly("data: a\n\n" + big, "\n\ndata: b\n\n", "");
    assertThat(split.events()).containsExactly("data: a\n\n", "data: b\n\n");
  }

  @Test
  void aBlankLineRightAfterAnOversizedPieceEndsTheEvent() {
    // The piece passed on ends with the event's last line and its line break; the next chunk
    // starts with the blank line that ends the event.
    String big = "data: " + "z".repeat(100) + "\n";
    Split split = split(List.of(big, "\ndata: b\n\n"), 64);
    assertThat(split.relayed()).containsExactly(big, "\ndata: b\n\n", "");
    assertThat(split.events()).containsExactly("data: b\n\n");
  }

  @Test
  void anEmptyChunkChangesNothing() {
    // After an oversized piece that ended inside a line, the next line break ends that line and
    // is no blank line, empty chunk or not.
    String big = "data: " + "z".repeat(100);
    Split split = split(List.of(big, "", "\n", "", "\ndata: b\n\n"), 64);
    assertThat(split.relayed()).containsExactly(big, "", "", "", "\n\ndata: b\n\n", "");
    assertThat(split.events()).containsExactly("data: b\n\n");
  }

  @Test
  void readsEventTypeAndJoinedData() {
    SseEvent event = SseEvent.parse(Buffer.buffer("event: endpoint\r\ndata: /a\ndata:b\n\n"));
    assertThat(event.event()).isEqualTo("endpoint");
    assertThat(event.data()).isEqualTo("/a\nb");
    assertThat(SseEvent.parse(Buffer.buffer("data: {\"x\":1}\n\n")).carriesJson()).isTrue();
  }
}
