package io.mcpsidecar.agent.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A calendar day or month in a time zone, from local midnight to local midnight, so that days of a
 * daylight-saving change last 23 or 25 hours and months their own number of days.
 *
 * @param id the window's name, part of its bucket's key ({@code 2026-11-26}, {@code 2026-11})
 * @param start the first instant in it
 * @param end the first instant after it
 */
record QuotaWindow(String id, Instant start, Instant end) {

  static QuotaWindow day(Instant now, ZoneId zone) {
    LocalDate date = now.atZone(zone).toLocalDate();
    return new QuotaWindow(
        date.toString(),
        date.atStartOfDay(zone).toInstant(),
        date.plusDays(1).atStartOfDay(zone).toInstant());
  }

  static QuotaWindow month(Instant now, ZoneId zone) {
    ZonedDateTime local = now.atZone(zone);
    YearMonth month = YearMonth.of(local.getYear(), local.getMonth());
    return new QuotaWindow(
        month.toString(),
        month.atDay(1).atStartOfDay(zone).toInstant(),
        month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
  }

  Duration length() {
    return Duration.between(start, end);
  }
}
