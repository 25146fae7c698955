package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  @Test
  void appliesDefaultsToAMinimalConfig() {
    ConfigResult result = ConfigLoader.parse("upstream:\n  url: http://127.0.0.1:8080/mcp\n");
    assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    AgentConfig config = ((ConfigResult.Valid) result).config();
    assertThat(config.listen().port()).isEqualTo(9000);
    assertThat(config.admin().port()).isEqualTo(9901);
    assertThat(config.edge().maxBodyBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(config.edge().allowedOrigins()).isEmpty();
    assertThat(config.upstream().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void reportsEveryViolationAtOnce() {
    ConfigResult result =
        ConfigLoader.parse(
            """
            listen:
              port: 70000
            upstream:
              url: localhost
            edge:
              maxBodyBytes: "big"
              surprise: true
            """);
    assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
    assertThat(((ConfigResult.Invalid) result).violations())
        .extracting(Violation::path)
        .containsExactlyInAnyOrder(
            "listen.port", "upstream.url", "edge.maxBodyBytes", "edge.surprise");
    assertThat(((ConfigResult.Invalid) result).violations())
        .map(Violation::toString)
        .contains("upstream.url: \"localhost\" (expected: an absolute http or https URL)");
  }

  @Test
  void requiresTheUpstreamUrl() {
    ConfigResult result = ConfigLoader.parse("listen:\n  port: 9000\n");
    assertThat(((ConfigResult.Invalid) result).violations())
        .extracting(Violation::path)
        .containsExactly("upstream.url");
  }

  @Test
  void reportsBrokenYamlWithItsPosition() {
    ConfigResult result = ConfigLoader.parse("upstream:\n  url: [unclosed\n");
    assertThat(((ConfigResult.Invalid) result).violations().get(0).value()).contains("line");
  }
}
