package io.mcpsidecar.agent.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.function.Function;

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

  /** The local date of {@code now} in {@code zone} as an epoch day, as {@code atZone} gives it. */
  static long localEpochDay(Instant now, ZoneId zone) {
    int offset = zone.getRules().getOffset(now).getTotalSeconds();
    return Math.floorDiv(now.getEpochSecond() + offset, 86_400L);
  }

  /**
   * The window of one kind and zone that the time is in, with a value derived from it, computed
   * again only when the local date leaves the window's dates. A window is a function of the local
   * date alone, so this answers what {@link #day} or {@link #month} would, at any instant,
   * whichever way the clock moves. Thread-safe.
   */
  static final class Current<T> {

    private record Held<T>(long firstDay, long endDay, T derived) {}

    private final boolean monthly;
    private final ZoneId zone;
    private final Function<QuotaWindow, T> derive;
    private volatile Held<T> held;

    /** {@code derive} computes, once per window, what to keep with it. */
    Current(boolean monthly, ZoneId zone, Function<QuotaWindow, T> derive) {
      this.monthly = monthly;
      this.zone = zone;
      this.derive = derive;
    }

    /** The value derived from the window {@code now} is in. */
    T at(Instant now) {
      long day = localEpochDay(now, zone);
      Held<T> h = held;
      if (h == null || day < h.firstDay() || day >= h.endDay()) {
        QuotaWindow window = monthly ? month(now, zone) : day(now, zone);
        LocalDate date = LocalDate.ofEpochDay(day);
        LocalDate first = monthly ? date.withDayOfMonth(1) : date;
        LocalDate end = monthly ? first.plusMonths(1) : first.plusDays(1);
        h = new Held<>(first.toEpochDay(), end.toEpochDay(), derive.apply(window));
        held = h;
      }
      return h.derived();
    }
  }
}
