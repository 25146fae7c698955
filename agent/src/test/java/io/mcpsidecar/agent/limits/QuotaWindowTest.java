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

  @Test
  void theCurrentDayChangesAtLocalMidnight() {
    QuotaWindow.Current<QuotaWindow> days = new QuotaWindow.Current<>(false, PARIS, w -> w);

    assertThat(days.at(Instant.parse("2026-11-26T22:59:59.999999999Z")).id())
        .isEqualTo("2026-11-26");
    assertThat(days.at(Instant.parse("2026-11-26T23:00:00Z")).id()).isEqualTo("2026-11-27");
    assertThat(days.at(Instant.parse("2026-11-26T22:00:00Z")).id())
        .as("a clock set back")
        .isEqualTo("2026-11-26");
  }

  @Test
  void theCurrentMonthChangesAtTheLastLocalMidnightOfTheMonth() {
    QuotaWindow.Current<QuotaWindow> months =
        new QuotaWindow.Current<>(true, ZoneId.of("America/Los_Angeles"), w -> w);

    assertThat(months.at(Instant.parse("2026-11-01T06:59:59Z")).id()).isEqualTo("2026-10");
    assertThat(months.at(Instant.parse("2026-12-01T07:59:59Z")).id()).isEqualTo("2026-11");
    assertThat(months.at(Instant.parse("2026-12-01T08:00:00Z")).id()).isEqualTo("2026-12");
    assertThat(months.at(Instant.parse("2027-01-01T07:59:59Z")).id()).isEqualTo("2026-12");
    assertThat(months.at(Instant.parse("2027-01-01T08:00:00Z")).id()).isEqualTo("2027-01");
  }

  @Test
  void derivesOncePerWindow() {
    java.util.concurrent.atomic.AtomicInteger derived =
        new java.util.concurrent.atomic.AtomicInteger();
    QuotaWindow.Current<String> days =
        new QuotaWindow.Current<>(false, PARIS, w -> w.id() + "#" + derived.incrementAndGet());
    Instant morning = Instant.parse("2026-11-26T06:00:00Z");

    assertThat(days.at(morning)).isEqualTo("2026-11-26#1");
    assertThat(days.at(morning.plus(Duration.ofHours(16)))).isEqualTo("2026-11-26#1");
    assertThat(days.at(morning.plus(Duration.ofHours(17)))).isEqualTo("2026-11-27#2");
  }

  /**
   * The remembered window is the one computed afresh, at any instant and in any order: zones with
   * odd offsets, daylight saving at midnight (Santiago goes from 24:00 back to 23:00 in April and
   * from 24:00 to 01:00 in September, so some days start at 01:00) and 30-minute DST.
   */
  @Test
  void agreesWithComputingTheWindowAfreshWhereverTheClockGoes() {
    String[] zones = {
      "UTC",
      "Europe/Paris",
      "America/Los_Angeles",
      "Asia/Kolkata",
      "America/Santiago",
      "Australia/Lord_Howe",
      "Pacific/Chatham",
      "Pacific/Kiritimati"
    };
    java.util.Random random = new java.util.Random(7);
    Instant from = Instant.parse("2025-12-25T00:00:00Z");
    for (String id : zones) {
      ZoneId zone = ZoneId.of(id);
      QuotaWindow.Current<QuotaWindow> days = new QuotaWindow.Current<>(false, zone, w -> w);
      QuotaWindow.Current<QuotaWindow> months = new QuotaWindow.Current<>(true, zone, w -> w);
      Instant t = from;
      for (int i = 0; i < 20_000; i++) {
        // Mostly forward in steps of up to an hour, sometimes back by up to two days.
        long seconds = random.nextInt(10) == 0 ? -random.nextInt(172_800) : random.nextInt(3_600);
        t = t.plusSeconds(seconds);
        assertThat(days.at(t)).as("%s at %s", id, t).isEqualTo(QuotaWindow.day(t, zone));
        assertThat(months.at(t)).as("%s at %s", id, t).isEqualTo(QuotaWindow.month(t, zone));
      }
    }
  }
}
