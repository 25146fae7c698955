package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Logger levels are process-wide: the command line ({@link Main}) sets them from the config, an
 * agent embedded in another program (here, a test) leaves them alone.
 */
class LogLevelsTest {

  private final Logger agentLogs = (Logger) LoggerFactory.getLogger("io.mcpsidecar");
  private final Logger accessLog = (Logger) LoggerFactory.getLogger("mcp.access");
  private Level agentBefore;
  private Level accessBefore;

  @BeforeEach
  void remember() {
    agentBefore = agentLogs.getLevel();
    accessBefore = accessLog.getLevel();
  }

  @AfterEach
  void restore() {
    agentLogs.setLevel(agentBefore);
    accessLog.setLevel(accessBefore);
  }

  @Test
  void anEmbeddedAgentLeavesTheHostsLoggerLevelsAlone() {
    agentLogs.setLevel(Level.WARN);
    accessLog.setLevel(Level.INFO);
    StubUpstream upstream = new StubUpstream();
    Agent agent =
        TestAgents.start(
            TestAgents.config(upstream.url(), "logging:\n  level: TRACE\n  accessLog: false\n"));
    try {
      assertThat(agentLogs.getLevel()).isEqualTo(Level.WARN);
      assertThat(accessLog.getLevel()).isEqualTo(Level.INFO);
    } finally {
      TestAgents.stop(agent);
      upstream.close();
    }
  }

  @Test
  void theCommandLineSetsTheLevelsTheConfigNames() {
    Main.applyLogLevel(
        TestAgents.config(
            "http://127.0.0.1:1/mcp", "logging:\n  level: DEBUG\n  accessLog: false\n"));

    assertThat(agentLogs.getLevel()).isEqualTo(Level.DEBUG);
    assertThat(accessLog.getLevel()).isEqualTo(Level.OFF);
  }
}
