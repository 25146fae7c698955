package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line an operator runs in CI before applying a ConfigMap. */
class MainTest {

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void validatePrintsOkForAGoodConfig() throws Exception {
    Path file = dir.resolve("good.yaml");
    Files.writeString(file, "upstream:\n  url: http://127.0.0.1:8080/mcp\n");
    Run run = run("validate", file.toString());
    assertThat(run.exit()).isZero();
    assertThat(run.out().trim()).isEqualTo("ok");
  }

  @Test
  void validateListsEveryProblemAndExitsOne() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file, "listen:\n  port: 70000\nupstream:\n  url: localhost\nedge:\n  surprise: 1\n");
    Run run = run("validate", file.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("listen.port: 70000")
        .contains("upstream.url: \"localhost\" (expected: an absolute http or https URL)")
        .contains("edge.surprise");
  }

  @Test
  void validateReportsBrokenYamlAndMissingFiles() throws Exception {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "upstream:\n  url: [unclosed\n");
    Run broken = run("validate", file.toString());
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.err()).contains("line");
    Run missing = run("validate", dir.resolve("nope.yaml").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("nope.yaml");
  }

  @Test
  void refusesToStartOnAnInvalidConfigAndExplainsUsage() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "upstream:\n  url: localhost\n");
    Run start = run("--config", file.toString());
    assertThat(start.exit()).isEqualTo(1);
    assertThat(start.err()).contains("upstream.url");
    Run usage = run("--bogus");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("usage");
  }
}
