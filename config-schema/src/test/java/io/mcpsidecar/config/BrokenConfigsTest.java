package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code src/test/resources/broken/} is rejected with exactly the violations
 * listed in its {@code .expected} sidecar, one {@code path: value (expected: ...)} per line, in
 * order. Run with {@code -Dconfig.broken.regenerate=true} to rewrite the sidecars after a
 * deliberate change of wording, then review the diff.
 */
class BrokenConfigsTest {

  static final Path CORPUS =
      Path.of(System.getProperty("basedir", "."), "src/test/resources/broken");
  static final Map<String, String> ENV = Map.of("PRESENT", "WARN", "PORT_TEXT", "ninety");

  static Stream<String> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void isRejectedWithTheExpectedViolations(String name) throws IOException {
    ConfigResult result = ConfigLoader.load(CORPUS.resolve(name), ENV);

    assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
    List<String> actual =
        ((ConfigResult.Invalid) result).violations().stream().map(Violation::toString).toList();
    Path expectedFile = CORPUS.resolve(name.replace(".yaml", ".expected"));
    if (Boolean.getBoolean("config.broken.regenerate")) {
      Files.writeString(expectedFile, String.join("\n", actual) + "\n");
    }
    assertThat(expectedFile).exists();
    List<String> expected =
        Files.readAllLines(expectedFile).stream().filter(l -> !l.isBlank()).toList();
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @Test
  void everyBrokenConfigHasItsExpectations() throws IOException {
    List<String> configs = corpus().toList();
    try (Stream<Path> files = Files.list(CORPUS)) {
      List<String> expectations =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".expected"))
              .map(n -> n.replace(".expected", ".yaml"))
              .toList();
      assertThat(expectations).containsExactlyInAnyOrderElementsOf(configs);
    }
    assertThat(configs)
        .contains(
            "unknown-key.yaml",
            "wrong-type.yaml",
            "out-of-range.yaml",
            "missing-required.yaml",
            "broken-yaml.yaml",
            "several-errors.yaml",
            "bad-duration.yaml",
            "bad-origin.yaml",
            "unset-env.yaml");
  }
}
