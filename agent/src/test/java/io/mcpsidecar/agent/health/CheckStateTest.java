package io.mcpsidecar.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.health.CheckState.State;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckStateTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private static CheckState run(CheckState s, boolean ok) {
    return s.next(ok, ok ? "fine" : "refused", 3, NOW, 1, 3);
  }

  @Test
  void aCheckThatIsUpGoesDownOnlyAfterThreeFailuresInARow() {
    CheckState s = run(CheckState.initial(), true);
    assertThat(s.state()).isEqualTo(State.UP);
    s = run(run(s, false), false);
    assertThat(s.state()).isEqualTo(State.UP);
    assertThat(s.consecutiveFailures()).isEqualTo(2);
    s = run(run(s, true), false); // a success in between starts the count again
    assertThat(s.state()).isEqualTo(State.UP);
    s = run(run(s, false), false);
    assertThat(s.state()).isEqualTo(State.DOWN);
    assertThat(s.consecutiveFailures()).isEqualTo(3);
    assertThat(s.lastError()).isEqualTo("refused");
    assertThat(s.lastSuccess()).isEqualTo(NOW);
  }

  @Test
  void aCheckThatIsDownComesUpAfterOneSuccess() {
    CheckState s = run(CheckState.initial(), false);
    assertThat(s.state()).as("nothing says it was ever up").isEqualTo(State.DOWN);
    s = run(s, true);
    assertThat(s.state()).isEqualTo(State.UP);
    assertThat(s.consecutiveFailures()).isZero();
  }

  @Test
  void aHigherHealthyThresholdNeedsThatManySuccesses() {
    CheckState s = CheckState.initial().next(false, "x", 1, NOW, 2, 3);
    s = s.next(true, "ok", 1, NOW, 2, 3);
    assertThat(s.state()).isEqualTo(State.DOWN);
    s = s.next(true, "ok", 1, NOW, 2, 3);
    assertThat(s.state()).isEqualTo(State.UP);
  }
}
