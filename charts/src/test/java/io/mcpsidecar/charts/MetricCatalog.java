package io.mcpsidecar.charts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names of docs/metrics.md (live and reserved), the standard JVM and process metrics of
 * Micrometer's binders, and Prometheus' own {@code up}. Queries may read nothing else, so a renamed
 * metric breaks a test instead of an alert.
 */
final class MetricCatalog {

  private static final Pattern TABLE_NAME =
      Pattern.compile("^\\|\\s*`([a-z_:][a-z0-9_:]*)`\\s*\\|");
  private static final Pattern CODE = Pattern.compile("`([a-z_:][a-z0-9_:]*)`");
  private static final Set<String> SERIES_SUFFIXES = Set.of("_bucket", "_count", "_sum", "_max");
  private static final Set<String> STANDARD_PREFIXES = Set.of("jvm_", "process_", "system_");

  private final Set<String> documented;

  private MetricCatalog(Set<String> documented) {
    this.documented = documented;
  }

  static MetricCatalog load(Path metricsDoc) {
    String text;
    try {
      text = Files.readString(metricsDoc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> names = new TreeSet<>();
    boolean jvmSection = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("## ")) {
        jvmSection = line.toLowerCase(Locale.ROOT).contains("jvm");
      }
      Matcher table = TABLE_NAME.matcher(line);
      if (table.find()) {
        names.add(table.group(1));
      } else if (jvmSection) {
        Matcher code = CODE.matcher(line);
        while (code.find()) {
          names.add(code.group(1));
        }
      }
    }
    return new MetricCatalog(names);
  }

  Set<String> documented() {
    return documented;
  }

  /** Whether a query may read this series name. */
  boolean allows(String name) {
    if (name.equals("up") || documented.contains(name)) {
      return true;
    }
    for (String suffix : SERIES_SUFFIXES) {
      if (name.endsWith(suffix)
          && documented.contains(name.substring(0, name.length() - suffix.length()))) {
        return true;
      }
    }
    return STANDARD_PREFIXES.stream().anyMatch(name::startsWith);
  }
}
