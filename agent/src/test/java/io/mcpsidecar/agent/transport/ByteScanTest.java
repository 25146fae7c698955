package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The word-at-a-time searches find exactly what a byte-by-byte loop finds, from any offset. */
class ByteScanTest {

  @Provide
  Arbitrary<byte[]> sseLikeBytes() {
    // Mostly ordinary bytes, with the sought ones and their near neighbours (0x0b, 0x0c, '#',
    // ']') and bytes outside ASCII mixed in, so that words hold none, one or several matches.
    Arbitrary<Byte> rare =
        Arbitraries.of(
            (byte) '\n',
            (byte) '\r',
            (byte) '"',
            (byte) '\\',
            (byte) 0x0b,
            (byte) 0x0c,
            (byte) '#',
            (byte) ']',
            (byte) 0x80,
            (byte) 0xff,
            (byte) 0x00,
            (byte) 0x01);
    Arbitrary<Byte> common = Arbitraries.bytes().between((byte) 'a', (byte) 'z');
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(9, common), net.jqwik.api.Tuple.of(1, rare))
        .array(byte[].class)
        .ofMaxSize(70);
  }

  @Property(tries = 3000)
  void lineEndIsTheFirstCrOrLf(
      @ForAll("sseLikeBytes") byte[] bytes, @ForAll int fromSeed, @ForAll int toSeed) {
    int from = bytes.length == 0 ? 0 : Math.floorMod(fromSeed, bytes.length + 1);
    int to = from + Math.floorMod(toSeed, bytes.length - from + 1);
    int expected = to;
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        expected = i;
        break;
      }
    }
    assertThat(ByteScan.lineEnd(bytes, from, to)).isEqualTo(expected);
  }

  @Property(tries = 3000)
  void quoteEscapeOrHighIsTheFirstOfThem(
      @ForAll("sseLikeBytes") byte[] bytes, @ForAll int fromSeed, @ForAll int toSeed) {
    int from = bytes.length == 0 ? 0 : Math.floorMod(fromSeed, bytes.length + 1);
    int to = from + Math.floorMod(toSeed, bytes.length - from + 1);
    int expected = to;
    for (int i = from; i < to; i++) {
      if (bytes[i] == '"' || bytes[i] == '\\' || bytes[i] < 0) {
        expected = i;
        break;
      }
    }
    assertThat(ByteScan.quoteEscapeOrHigh(bytes, from, to)).isEqualTo(expected);
  }
}
