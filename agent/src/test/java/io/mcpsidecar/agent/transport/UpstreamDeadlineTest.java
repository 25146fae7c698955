package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.MessageKind;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamDeadlineTest {

  private static final AgentConfig CONFIG =
      ((ConfigResult.Valid)
              ConfigLoader.parse(
                  """
                  upstream:
                    url: http://127.0.0.1:8080/mcp
                    responseTimeout: 30s
                    timeouts:
                      methods: [{match: "tools/list", timeout: 5s}, {match: "tools/*", timeout: 7s}]
                      tools: [{match: "report_*", timeout: 2m}, {match: "report_fast", timeout: 1s}]
                  """))
          .config();

  private static JsonRpcMessage request(String id, String method, String target) {
    return new JsonRpcMessage(
        MessageKind.REQUEST, id, method, target, null, null, null, null, false);
  }

  private static Duration deadline(boolean batch, JsonRpcMessage... messages) {
    return UpstreamDeadline.of(
        McpCall.builder("r", CONFIG).messages(List.of(messages), batch).build());
  }

  @Test
  void aToolEntryComesBeforeAMethodEntryAndTheFirstMatchWins() {
    assertThat(deadline(false, request("1", "tools/call", "report_fast")))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(deadline(false, request("1", "tools/call", "echo")))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(deadline(false, request("1", "tools/list", null))).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void callsNoEntryMatchesGetTheResponseTimeout() {
    assertThat(deadline(false, request("1", "resources/read", "file:///a")))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(deadline(false)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aBatchGetsTheLongestDeadlineOfItsRequests() {
    assertThat(
            deadline(
                true,
                request("1", "tools/list", null),
                request("2", "tools/call", "report_x"),
                request("3", "ping", null)))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(deadline(true, request("1", "tools/list", null), request("2", "tools/call", "a")))
        .isEqualTo(Duration.ofSeconds(7));
  }
}
