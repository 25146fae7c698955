package io.mcpsidecar.injector.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM options injected into every agent are the measured ones of {@code
 * scripts/agent-java-opts} (docs/benchmarks.md), except that the heap follows the container's
 * memory limit instead of the script's fixed {@code -Xmx}.
 */
class AgentJavaOptionsTest {

  @Test
  void injectedOptionsAreTheMeasuredOnesWithTheHeapSizedFromTheMemoryLimit() throws IOException {
    List<String> script = new ArrayList<>();
    for (String line : Files.readAllLines(repoRoot().resolve("scripts/agent-java-opts"))) {
      String options = line.replaceFirst("#.*", "").strip();
      if (!options.isEmpty()) {
        script.addAll(Arrays.asList(options.split("\\s+")));
      }
    }
    List<String> expected =
        script.stream().map(o -> o.startsWith("-Xmx") ? "-XX:MaxRAMPercentage=50" : o).toList();

    assertThat(script).anyMatch(o -> o.startsWith("-Xmx"));
    assertThat(Arrays.asList(AgentContainer.JAVA_TOOL_OPTIONS.split(" ")))
        .containsExactlyElementsOf(expected);
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("scripts/agent-java-opts"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("repository root above the working directory").isNotNull();
    return dir;
  }
}
