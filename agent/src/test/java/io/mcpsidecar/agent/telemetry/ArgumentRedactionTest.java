package io.mcpsidecar.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.config.ArgumentLoggingConfig;
import io.mcpsidecar.config.Glob;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentRedactionTest {

  private static final ArgumentLoggingConfig CONFIG =
      new ArgumentLoggingConfig(
          true, List.of(Glob.of("*password*"), Glob.of("*TOKEN*"), Glob.of("authori?ation")), 2048);

  @Test
  void redactsMatchingNamesAtEveryDepthAndKeepsTheRest() {
    Buffer body =
        Buffer.buffer(
            "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{\"name\":\"login\","
                + "\"arguments\":{\"user\":\"ada\",\"Password\":\"hunter2\",\"nested\":{\"apiToken\":\"t\","
                + "\"list\":[{\"authorization\":\"Bearer x\",\"keep\":1}]}}}}");
    JsonObject rendered = new JsonObject(ArgumentRedaction.render(body, "\"a\"", CONFIG));
    assertThat(rendered.getString("user")).isEqualTo("ada");
    assertThat(rendered.getString("Password")).isEqualTo(ArgumentRedaction.REDACTED);
    assertThat(rendered.getJsonObject("nested").getString("apiToken"))
        .isEqualTo(ArgumentRedaction.REDACTED);
    JsonObject inList = rendered.getJsonObject("nested").getJsonArray("list").getJsonObject(0);
    assertThat(inList.getString("authorization")).isEqualTo(ArgumentRedaction.REDACTED);
    assertThat(inList.getInteger("keep")).isEqualTo(1);
    assertThat(rendered.encode()).doesNotContain("hunter2").doesNotContain("Bearer x");
  }

  @Test
  void matchesRedactionRulesIgnoringCaseAndReadsQuestionMarksAsOneCharacter() {
    Buffer body =
        Buffer.buffer(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"x\","
                + "\"arguments\":{\"session_token\":\"s\",\"AUTHORISATION\":\"a\",\"authoriation\":\"k\"}}}");
    JsonObject rendered = new JsonObject(ArgumentRedaction.render(body, "1", CONFIG));
    assertThat(rendered.getString("session_token")).isEqualTo(ArgumentRedaction.REDACTED);
    assertThat(rendered.getString("AUTHORISATION")).isEqualTo(ArgumentRedaction.REDACTED);
    assertThat(rendered.getString("authoriation")).isEqualTo("k");
  }

  @Test
  void findsTheRequestInABatchAndCutsLongArguments() {
    Buffer batch =
        Buffer.buffer(
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"e\","
                + "\"arguments\":{\"text\":\""
                + "x".repeat(500)
                + "\"}}}]");
    String rendered =
        ArgumentRedaction.render(batch, "2", new ArgumentLoggingConfig(true, List.of(), 100));
    assertThat(rendered).hasSize(100 + "...(truncated)".length()).endsWith("...(truncated)");
    assertThat(ArgumentRedaction.render(batch, "1", CONFIG)).isNull();
  }
}
