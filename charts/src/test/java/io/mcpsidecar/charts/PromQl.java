package io.mcpsidecar.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to name the metrics an expression reads. promtool checks the syntax; this only
 * has to find every series name, so it strips what cannot be one (strings, label matchers, ranges,
 * label lists, numbers, Grafana variables) and keeps identifiers not called as functions.
 */
final class PromQl {

  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern LABEL_LIST =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
  private static final Pattern NUMBER =
      Pattern.compile("(?<![\\w:])\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?(?![\\w:])");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

  private PromQl() {}

  /** The metric names an expression reads, e.g. {@code rate(a_total[5m]) / b} gives a_total, b. */
  static Set<String> metricNames(String expr) {
    String s = STRING.matcher(expr).replaceAll("\"\"");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = RANGE.matcher(s).replaceAll(" ");
    s = LABEL_LIST.matcher(s).replaceAll(" ");
    s = VARIABLE.matcher(s).replaceAll(" ");
    s = NUMBER.matcher(s).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String name = m.group();
      if (KEYWORDS.contains(name.toLowerCase(Locale.ROOT)) || isCall(s, m.end())) {
        continue;
      }
      names.add(name);
    }
    return names;
  }

  /** The metric of a Grafana {@code label_values(metric{...}, label)} variable query. */
  static Set<String> variableQueryMetrics(String query) {
    Matcher m = LABEL_VALUES.matcher(query);
    return m.find() ? Set.of(m.group(1)) : metricNames(query);
  }

  /**
   * A Grafana query as plain PromQL: {@code $__rate_interval} and friends become 5m, every other
   * variable (used inside label matchers) the regular expression {@code .*}.
   */
  static String withoutGrafanaVariables(String expr) {
    return GRAFANA_VARIABLE
        .matcher(expr)
        .replaceAll(r -> r.group(1).startsWith("__") ? "5m" : Matcher.quoteReplacement(".*"));
  }

  /**
   * The queries of every {@code ```promql} block in a Markdown text. Lines starting with {@code #}
   * are comments; a blank line ends a query.
   */
  static List<String> markdownQueries(String markdown) {
    List<String> queries = new ArrayList<>();
    boolean inBlock = false;
    StringBuilder current = new StringBuilder();
    for (String line : markdown.split("\n", -1)) {
      String trimmed = line.trim();
      if (!inBlock) {
        inBlock = trimmed.equals("```promql");
        continue;
      }
      if (trimmed.startsWith("```") || trimmed.isEmpty()) {
        if (current.length() > 0) {
          queries.add(current.toString().trim());
          current.setLength(0);
        }
        inBlock = !trimmed.startsWith("```");
        continue;
      }
      if (!trimmed.startsWith("#")) {
        current.append(line).append('\n');
      }
    }
    return queries;
  }

  private static boolean isCall(String s, int end) {
    int i = end;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i < s.length() && s.charAt(i) == '(';
  }
}
