package io.mcpsidecar.agent.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RetryBudget budget = new RetryBudget(now::get);

  @Test
  void allowsTheMinimumPerSecondOfTheWindowWhenThereAreFewCalls() {
    budget.recordCall(10);

    int allowed = 0;
    while (budget.tryRetry(10, 20, 1)) {
      allowed++;
    }

    assertThat(allowed).isEqualTo(10); // 20% of 1 call rounds to 0, plus 1 a second over 10 s
  }

  @Test
  void allowsThePercentageOfTheCallsInTheWindow() {
    for (int i = 0; i < 1000; i++) {
      budget.recordCall(10);
    }

    int allowed = 0;
    while (budget.tryRetry(10, 20, 0)) {
      allowed++;
    }

    assertThat(allowed).isEqualTo(200);
  }

  @Test
  void forgetsCallsAndRetriesOlderThanTheWindow() {
    for (int i = 0; i < 100; i++) {
      budget.recordCall(3);
    }
    while (budget.tryRetry(3, 10, 0)) {
      // spend it
    }
    assertThat(budget.tryRetry(3, 10, 0)).isFalse();

    now.addAndGet(3_000); // the window has moved past every call and retry
    budget.recordCall(3);

    assertThat(budget.tryRetry(3, 10, 0)).as("no calls left in the window to earn one").isFalse();
    assertThat(budget.tryRetry(3, 10, 1)).isTrue();
  }

  @Test
  void aZeroBudgetNeverRetries() {
    for (int i = 0; i < 100; i++) {
      budget.recordCall(10);
    }

    assertThat(budget.tryRetry(10, 0, 0)).isFalse();
  }
}
