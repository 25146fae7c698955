package io.mcpsidecar.agent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuotaWindowTest {

  static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @Test
  void aDayRunsFromLocalMidnightToLocalMidnight() {
    QuotaWindow day = QuotaWindow.day(Instant.parse("2026-11-26T23:30:00Z"), PARIS);

    assertThat(day.id()).isEqualTo("2026-11-27");
    assertThat(day.start()).isEqualTo("2026-11-26T23:00:00Z");
    assertThat(day.end()).isEqualTo("2026-11-27T23:00:00Z");
  }

  @Test
  void theDaysOfADaylightSavingChangeLast23And25Hours() {
    assertThat(QuotaWindow.day(Instant.parse("2026-03-29T12:00:00Z"), PARIS).length())
        .isEqualTo(Duration.ofHours(23));
    assertThat(QuotaWindow.day(Instant.parse("2026-10-25T12:00:00Z"), PARIS).length())
        .isEqualTo(Duration.ofHours(25));
  }

  @Test
  void aMonthHasItsOwnNumberOfDays() {
    QuotaWindow february =
        QuotaWindow.month(Instant.parse("2026-02-10T00:00:00Z"), ZoneId.of("UTC"));

    assertThat(february.id()).isEqualTo("2026-02");
    assertThat(february.length()).isEqualTo(Duration.ofDays(28));
    assertThat(february.end()).isEqualTo("2026-03-01T00:00:00Z");
  }
}
