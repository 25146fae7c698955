package io.mcpsidecar.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonRpcAnswersTest {

  @Test
  void findsTheAnswerWithItsIdInAJsonBodyOrABatch() {
    assertThat(JsonRpcAnswers.fromJson("{\"jsonrpc\":\"2.0\",\"id\":\"h-1\",\"result\":{}}", "h-1"))
        .isNotNull();
    assertThat(JsonRpcAnswers.fromJson("{\"jsonrpc\":\"2.0\",\"id\":\"h-2\",\"result\":{}}", "h-1"))
        .isNull();
    assertThat(JsonRpcAnswers.fromJson("[{\"id\":\"x\"},{\"id\":\"h-1\",\"result\":{}}]", "h-1"))
        .isNotNull();
    assertThat(JsonRpcAnswers.fromJson("{\"id\":\"h-1\",", "h-1")).as("not whole yet").isNull();
  }

  @Test
  void findsTheAnswerInCompleteEventsOnlyAcrossNotificationsAndCrLf() {
    String stream =
        "event: message\r\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\r\n\r\n"
            + "id: 7\ndata: {\"jsonrpc\":\"2.0\",\n"
            + "data: \"id\":\"h-3\",\"result\":{}}\n";
    assertThat(JsonRpcAnswers.fromEvents(stream, "h-3")).as("the event is not complete").isNull();
    assertThat(JsonRpcAnswers.fromEvents(stream + "\n", "h-3").getString("id")).isEqualTo("h-3");
  }
}
