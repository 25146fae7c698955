package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentLifecycleTest {

  @Test
  void stopsPromptlyWhenIdle() {
    Agent agent = TestAgents.start("http://127.0.0.1:1/mcp");
    long started = System.nanoTime();
    TestAgents.stop(agent);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }
}
