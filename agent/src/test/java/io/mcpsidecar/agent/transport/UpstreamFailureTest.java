package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.mcp.ErrorCode;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Each upstream failure's refusal, naming the server by the port a connection really uses. */
class UpstreamFailureTest {

  @Test
  void namesTheSchemesPortWhenTheUrlHasNone() {
    assertThat(UpstreamFailure.UNREACHABLE.rejection(URI.create("http://mcp.local/mcp")).data())
        .containsEntry("upstream", "mcp.local:80");
    assertThat(UpstreamFailure.TIMEOUT.rejection(URI.create("https://mcp.local/mcp")).data())
        .containsEntry("upstream", "mcp.local:443");
    assertThat(UpstreamFailure.CLOSED.rejection(URI.create("http://127.0.0.1:3000/mcp")).data())
        .containsEntry("upstream", "127.0.0.1:3000");
  }

  @Test
  void mapsEveryFailureToItsDocumentedCode() {
    URI url = URI.create("http://127.0.0.1:3000/mcp");
    assertThat(UpstreamFailure.UNREACHABLE.rejection(url).code())
        .isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    assertThat(UpstreamFailure.TIMEOUT.rejection(url).code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
    assertThat(UpstreamFailure.CLOSED.rejection(url).code())
        .isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    assertThat(UpstreamFailure.BROKE_OFF.rejection(url).code())
        .isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    assertThat(UpstreamFailure.DRAINING.rejection(url).code()).isEqualTo(ErrorCode.SHUTTING_DOWN);
  }
}
