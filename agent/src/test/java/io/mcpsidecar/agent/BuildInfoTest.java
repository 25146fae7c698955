package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The version and git revision stamped at build time: --version and mcp_sidecar_build_info. */
class BuildInfoTest {

  private static final String VERSION = "\\d+\\.\\d+\\.\\d+\\S*";
  private static final String REVISION = "([0-9a-f]{40}|unknown)";

  @Test
  void versionFlagPrintsTheStampedVersionRevisionAndRuntime() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        Main.run(
            new String[] {"--version"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).trim())
        .matches(
            "mcp-sidecar-agent "
                + VERSION
                + " \\(revision "
                + REVISION
                + ", Java "
                + Pattern.quote(Runtime.version().toString())
                + "\\)");
  }

  @Test
  void unfilteredOrEmptyValuesReadAsUnstamped() {
    assertThat(BuildInfo.stamped("${buildNumber}", "unknown")).isEqualTo("unknown");
    assertThat(BuildInfo.stamped("", "dev")).isEqualTo("dev");
    assertThat(BuildInfo.stamped(null, "dev")).isEqualTo("dev");
    assertThat(BuildInfo.stamped(" 0.2.0 ", "dev")).isEqualTo("0.2.0");
  }

  @Test
  void metricsCarryTheBuildInfoFromTheFirstScrape() throws Exception {
    try (StubUpstream upstream = new StubUpstream()) {
      Agent agent = TestAgents.start(upstream.url());
      try {
        HttpResponse<String> metrics =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + agent.adminPort() + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("# TYPE mcp_sidecar_build_info gauge");
        assertThat(metrics.body())
            .containsPattern(
                "(?m)^mcp_sidecar_build_info\\{jdk=\""
                    + Pattern.quote(Runtime.version().toString())
                    + "\",revision=\""
                    + REVISION
                    + "\",version=\""
                    + VERSION
                    + "\"} 1(\\.0)?$");
      } finally {
        TestAgents.stop(agent);
      }
    }
  }
}
