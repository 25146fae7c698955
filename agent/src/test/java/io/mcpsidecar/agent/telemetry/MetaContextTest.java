package io.mcpsidecar.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Trace context goes into {@code params._meta} and no other byte of the body changes. */
class MetaContextTest {

  private static final String TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private static String inject(String body, String tracestate) {
    Buffer out = MetaContext.inject(Buffer.buffer(body), TP, tracestate);
    return out == null ? null : out.toString();
  }

  @Test
  void keepsBigNumbersAndLongDecimalsExactlyAsTheClientWroteThem() {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890123,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"n\",\"arguments\":{\"a\":1e400,"
            + "\"b\":12345678901234567890123,\"c\":0.1000000000000000055511151231257827,"
            + "\"d\" : [ 1.0, -0.0 ]}}}";

    assertThat(inject(body, null))
        .isEqualTo(
            "{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890123,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"n\",\"arguments\":{\"a\":1e400,"
                + "\"b\":12345678901234567890123,\"c\":0.1000000000000000055511151231257827,"
                + "\"d\" : [ 1.0, -0.0 ]},\"_meta\":{\"traceparent\":\""
                + TP
                + "\"}}}");
  }

  @Test
  void addsParamsWhenThereAreNone() {
    assertThat(inject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "k=v"))
        .isEqualTo(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"_meta\":"
                + "{\"traceparent\":\""
                + TP
                + "\",\"tracestate\":\"k=v\"}}}");
    assertThat(inject("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":null}", null))
        .isEqualTo(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"_meta\":"
                + "{\"traceparent\":\""
                + TP
                + "\"}}}");
  }

  @Test
  void replacesAnExistingTraceparentAndKeepsTheRestOfMeta() {
    String body =
        "{\"id\":\"x\",\"params\":{\"_meta\":{\"progressToken\":9.50,"
            + "\"traceparent\":\"00-old\",\"tracestate\":\"a=b\"}},\"method\":\"tools/list\"}";

    assertThat(inject(body, null))
        .isEqualTo(
            "{\"id\":\"x\",\"params\":{\"_meta\":{\"progressToken\":9.50,"
                + "\"traceparent\":\""
                + TP
                + "\",\"tracestate\":\"\"}},\"method\":\"tools/list\"}");
    assertThat(inject("{\"id\":1,\"method\":\"m\",\"params\":{\"_meta\":{}}}", null))
        .isEqualTo(
            "{\"id\":1,\"method\":\"m\",\"params\":{\"_meta\":{\"traceparent\":\"" + TP + "\"}}}");
  }

  @Test
  void writesIntoEveryRequestOfABatchAndLeavesNotificationsAndOddParamsAlone() {
    String body =
        "[{\"id\":1,\"method\":\"a\",\"params\":{}},"
            + "{\"method\":\"notifications/x\",\"params\":{}},"
            + "{\"id\":2,\"method\":\"b\",\"params\":[1e400]},"
            + "{\"id\":3,\"method\":\"c\",\"params\":{\"_meta\":7}}]";

    assertThat(inject(body, null))
        .isEqualTo(
            "[{\"id\":1,\"method\":\"a\",\"params\":{\"_meta\":{\"traceparent\":\""
                + TP
                + "\"}}},"
                + "{\"method\":\"notifications/x\",\"params\":{}},"
                + "{\"id\":2,\"method\":\"b\",\"params\":[1e400]},"
                + "{\"id\":3,\"method\":\"c\",\"params\":{\"_meta\":7}}]");
    assertThat(inject("{\"method\":\"notifications/x\"}", null)).isNull();
  }
}
