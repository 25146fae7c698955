package io.mcpsidecar.agent.transport;

import static io.mcpsidecar.agent.transport.TestCalls.call;
import static io.mcpsidecar.agent.transport.TestCalls.response;
import static io.mcpsidecar.agent.transport.TestCalls.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.MessageKind;
import io.mcpsidecar.config.AgentConfig;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** What a call keeps of the server messages relayed on its stream: only its own answers. */
class McpCallTest {

  private final AgentConfig config = TestAgents.config("http://127.0.0.1:1/mcp", "");

  private static JsonRpcMessage serverRequest(String id) {
    return new JsonRpcMessage(
        MessageKind.REQUEST, id, "sampling/createMessage", null, null, null, null, null, false);
  }

  @Test
  void aLongGetStreamKeepsNoneOfTheMessagesItRelays() {
    McpCall stream = call(config, HttpMethod.GET);

    for (int i = 0; i < 50_000; i++) {
      stream.recordResponse(response(String.valueOf(i), null, false));
      stream.recordResponse(serverRequest("\"s" + i + "\""));
    }

    assertThat(stream.responses()).isEmpty();
  }

  @Test
  void aCallKeepsOnlyTheAnswersToItsOwnRequests() {
    McpCall batch = call(config, HttpMethod.POST, toolCall("1", "a"), toolCall("2", "b"));

    batch.recordResponse(serverRequest("1")); // the server's own request, same id: not an answer
    for (int i = 3; i < 20_000; i++) {
      batch.recordResponse(response(String.valueOf(i), null, false));
    }
    batch.recordResponse(response("2", -32602, false));
    batch.recordResponse(response("2", null, false)); // a duplicate does not replace the first

    assertThat(batch.responses()).containsOnlyKeys("2");
    assertThat(batch.responses().get("2").errorCode()).isEqualTo(-32602);
  }
}
