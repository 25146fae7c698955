package io.mcpsidecar.agent.identity;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Looking up the benchmark client's API key (hashing it, then the table), as every call does. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ApiKeysBenchmark {

  private ApiKeys keys;

  @Setup
  public void setUp() {
    String yaml =
        """
        upstream:
          url: http://127.0.0.1:8080/mcp
        identity:
          apiKeys:
            - key: sha256:ee1ff82aa31ac4f6336c99fb41f6ad5f35b2cb65891afb6f6a64a6c363904501
              tenant: bench
              subject: load-generator
        """;
    AgentConfig config = ((ConfigResult.Valid) ConfigLoader.parse(yaml)).config();
    keys = new ApiKeys(config.identity().apiKeys());
    if (keys.lookup("mcp-sidecar-bench") == null) {
      throw new IllegalStateException("the benchmark key does not match");
    }
  }

  @Benchmark
  public Identity lookup() {
    return keys.lookup("mcp-sidecar-bench");
  }
}
