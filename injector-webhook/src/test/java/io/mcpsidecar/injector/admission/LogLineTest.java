package io.mcpsidecar.injector.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogLineTest {

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("plain name", "weather-mcp-0", "weather-mcp-0"),
        Arguments.of("image with digest", "ghcr.io/a/b@sha256:00", "ghcr.io/a/b@sha256:00"),
        Arguments.of("empty", "", "\"\""),
        Arguments.of("newline and carriage return", "a\r\nb", "a\\r\\nb"),
        Arguments.of("tab", "a\tb", "a\\tb"),
        Arguments.of("escape sequence", "\u001b[31mred", "\\u001b[31mred"),
        Arguments.of("delete and C1 next-line", "a\u007fb\u0085c", "a\\u007fb\\u0085c"),
        Arguments.of("unicode line separators", "a\u2028b\u2029c", "a\\u2028b\\u2029c"),
        Arguments.of("bidi override", "abc\u202eexe.txt", "abc\\u202eexe.txt"),
        Arguments.of("a space forges no field", "x outcome=allowed", "\"x outcome=allowed\""),
        Arguments.of("an equals sign is quoted", "a=b", "\"a=b\""),
        Arguments.of("quotes and backslashes", "a\"b\\c", "\"a\\\"b\\\\c\""),
        Arguments.of("non-ASCII letters stay", "wetter-äöü-気象", "wetter-äöü-気象"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void escapesWhatCouldEndOrForgeALine(String name, String value, String written) {
    assertThat(LogLine.value(value)).isEqualTo(written);
  }

  @Test
  void neverSplitsASurrogatePairWhenCutting() {
    String value = "a".repeat(LogLine.MAX_CHARS - 1) + "\uD83D\uDE00" + "tail";

    String written = LogLine.value(value);

    assertThat(written)
        .isEqualTo("\"" + "a".repeat(LogLine.MAX_CHARS - 1) + "...(+6 chars)\"")
        .doesNotContain("\uD83D");
  }

  @Test
  void writesKeysInOrderAfterTheConstantPrefix() {
    assertThat(LogLine.of("admission").add("webhook", "mutate").add("dryRun", false).toString())
        .isEqualTo("admission webhook=mutate dryRun=false");
  }
}
