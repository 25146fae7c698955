package io.mcpsidecar.benchmarks.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuickVerdictTest {

  private final Reference reference = new Reference(0.6, 3.0, "test");

  @Test
  void passesWithinNoise() {
    assertThat(QuickVerdict.judge(0.45, 4.0, 0, reference).passed()).isTrue();
  }

  @Test
  void passesJustAboveHalfTheRecordedThroughputRatio() {
    assertThat(QuickVerdict.judge(0.31, 3.0, 0, reference).passed()).isTrue();
  }

  @Test
  void failsUnderHalfTheRecordedThroughputRatio() {
    QuickVerdict verdict = QuickVerdict.judge(0.29, 3.0, 0, reference);
    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.message()).contains("throughput ratio to nginx 0.290 is under 0.300");
  }

  @Test
  void failsOverTwiceTheRecordedCpuCost() {
    QuickVerdict verdict = QuickVerdict.judge(0.6, 6.5, 0, reference);
    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.message()).contains("CPU cost per call 6.50 x nginx");
  }

  @Test
  void failsWhenCallsFailWhateverTheRatios() {
    QuickVerdict verdict = QuickVerdict.judge(0.6, 3.0, 0.05, reference);
    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.message()).contains("broken, not slow");
  }
}
