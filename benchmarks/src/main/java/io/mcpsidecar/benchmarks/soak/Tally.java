package io.mcpsidecar.benchmarks.soak;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Outcomes of one traffic source, counted by a short label ({@code 400}, {@code closed}, …). */
final class Tally {

  private final String name;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  Tally(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  void count(String outcome) {
    counts.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  long get(String outcome) {
    LongAdder adder = counts.get(outcome);
    return adder == null ? 0 : adder.sum();
  }

  long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Outcomes in name order, e.g. {@code 400 × 1200, closed × 3}. */
  String describe() {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((k, v) -> sorted.put(k, v.sum()));
    StringBuilder out = new StringBuilder();
    sorted.forEach(
        (k, v) -> {
          if (out.length() > 0) {
            out.append(", ");
          }
          out.append(k).append(" × ").append(v);
        });
    return out.length() == 0 ? "none" : out.toString();
  }
}
