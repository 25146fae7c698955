package io.mcpsidecar.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

  @Test
  void defaultsToLoopbackPort8080Stateful() {
    assertThat(LaunchOptions.parse()).isEqualTo(new LaunchOptions("127.0.0.1", 8080, false));
  }

  @Test
  void readsEveryOption() {
    assertThat(LaunchOptions.parse("--host", "0.0.0.0", "--port", "0", "--stateless"))
        .isEqualTo(new LaunchOptions("0.0.0.0", 0, true));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LaunchOptions.parse("--port", "70000", "--verbose", "--host"))
        .withMessageContaining("--port: 70000 (expected: an integer in [0, 65535])")
        .withMessageContaining("--verbose: unknown option")
        .withMessageContaining("--host: missing value");
  }
}
