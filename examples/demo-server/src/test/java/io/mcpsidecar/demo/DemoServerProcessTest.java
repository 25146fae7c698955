package io.mcpsidecar.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract: one stdout line naming the URL, then serve until SIGTERM. */
class DemoServerProcessTest {

  @Test
  void printsOneListeningLineAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    Path stdout = dir.resolve("stdout.txt");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    DemoServer.class.getName(),
                    "--port",
                    "0",
                    "--stateless"))
            .redirectOutput(stdout.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(stdout, StandardCharsets.UTF_8).endsWith("\n"));

      process.destroy(); // SIGTERM: the shutdown hook closes the server

      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readAllLines(stdout, StandardCharsets.UTF_8))
          .singleElement()
          .asString()
          .matches("demo MCP server listening on http://127\\.0\\.0\\.1:[1-9]\\d*/mcp");
    } finally {
      process.destroyForcibly();
    }
  }
}
