package io.mcpsidecar.benchmarks.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ratios the quick check holds the agent to, recorded from a quick run on a known machine
 * ({@code benchmarks/reference-ratios.json}). Ratios, not times: the agent and nginx run on the
 * same machine in the same minute, so a slower or busier machine moves both.
 *
 * @param saturationRatio agent-all saturation throughput / nginx saturation throughput
 * @param cpuCostRatio agent-all CPU seconds per call / nginx CPU seconds per call (at saturation)
 * @param recordedOn when and where the ratios were measured
 */
public record Reference(double saturationRatio, double cpuCostRatio, String recordedOn) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static Reference read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "no reference ratios at "
              + file
              + "; record them with ./mvnw -B -pl benchmarks verify -Dbench.recordReference=true");
    }
    return JSON.readValue(file.toFile(), Reference.class);
  }

  public void write(Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(this) + "\n");
  }
}
