package io.mcpsidecar.agent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutingHeadersTest {

  private static JsonRpcMessage call(String method, String target) {
    return new JsonRpcMessage(
        MessageKind.REQUEST, "1", method, target, null, null, null, null, false);
  }

  @Test
  void acceptsHeadersThatMirrorTheBody() {
    assertThat(RoutingHeaders.mismatch("tools/call", "echo", call("tools/call", "echo"))).isNull();
    assertThat(RoutingHeaders.mismatch("tools/list", null, call("tools/list", null))).isNull();
    assertThat(
            RoutingHeaders.mismatch(
                "resources/read",
                "=?base64?ZmlsZTovLy/DqQ==?=",
                call("resources/read", "file:///é")))
        .isNull();
  }

  @Test
  void namesWhatDisagrees() {
    assertThat(RoutingHeaders.mismatch(null, "echo", call("tools/call", "echo")))
        .contains("missing")
        .contains("Mcp-Method");
    assertThat(RoutingHeaders.mismatch("tools/call", null, call("tools/call", "echo")))
        .contains("Mcp-Name");
    assertThat(RoutingHeaders.mismatch("tools/call", "rm", call("tools/call", "echo")))
        .contains("params.name");
    assertThat(RoutingHeaders.mismatch("tools/call", "=?base64?***?=", call("tools/call", "echo")))
        .contains("base64");
  }

  @Test
  void detectsTheEraFromHeaderMetaOrInitialize() {
    ParseResult.Parsed meta =
        new ParseResult.Parsed(
            java.util.List.of(
                new JsonRpcMessage(
                    MessageKind.REQUEST,
                    "1",
                    "tools/list",
                    null,
                    "2026-07-28",
                    null,
                    null,
                    null,
                    false)),
            false);
    assertThat(EraDetector.detect(null, meta)).isEqualTo(McpEra.V2026_07_28);
    assertThat(EraDetector.detect("2025-06-18", meta)).isEqualTo(McpEra.V2025_06_18);
    assertThat(EraDetector.detect(null, null)).isEqualTo(McpEra.V2025_03_26);
    assertThat(McpEra.of("2027-01-01")).isEqualTo(McpEra.V2026_07_28);
    assertThat(McpEra.of("garbage")).isEqualTo(McpEra.UNKNOWN);
  }
}
