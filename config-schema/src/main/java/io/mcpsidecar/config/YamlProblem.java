package io.mcpsidecar.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Describes why a document is not YAML, with the line and column where the parser gave up. The YAML
 * parser's message holds a context ("while parsing a flow sequence"), a problem and, for each, a
 * position plus a source snippet; the snippets are dropped and the positions kept.
 */
final class YamlProblem {

  private static final Pattern MARK = Pattern.compile("^\\s*in reader, line (\\d+), column (\\d+)");
  private static final Pattern DUPLICATE =
      Pattern.compile("^Duplicate (?:property|field) (\"[^\"]*\")");

  private YamlProblem() {}

  static Violation of(JacksonException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    Matcher duplicate = DUPLICATE.matcher(message);
    if (duplicate.find()) {
      return new Violation(
          "$",
          at(e.getLocation(), null),
          "well-formed YAML without duplicate key " + duplicate.group(1));
    }
    List<String> parts = new ArrayList<>();
    String lastMark = null;
    for (String line : message.split("\n")) {
      Matcher mark = MARK.matcher(line);
      if (mark.find()) {
        lastMark = "line " + mark.group(1) + ", column " + mark.group(2);
        if (!parts.isEmpty()) {
          parts.set(parts.size() - 1, parts.get(parts.size() - 1) + " at " + lastMark);
        }
      } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        parts.add(line.strip());
      }
    }
    // The problem's own position is the last one; drop it from the text, it leads the violation.
    if (lastMark != null
        && !parts.isEmpty()
        && parts.get(parts.size() - 1).endsWith(" at " + lastMark)) {
      String last = parts.get(parts.size() - 1);
      parts.set(parts.size() - 1, last.substring(0, last.length() - lastMark.length() - 4));
    }
    String reason = String.join(": ", parts);
    return new Violation(
        "$",
        at(e.getLocation(), lastMark),
        "well-formed YAML" + (reason.isEmpty() ? "" : "; the parser says: " + reason));
  }

  private static String at(TokenStreamLocation location, String mark) {
    if (mark != null) {
      return "unparseable YAML at " + mark;
    }
    if (location == null || location.getLineNr() < 1) {
      return "unparseable YAML";
    }
    return "unparseable YAML at line "
        + location.getLineNr()
        + ", column "
        + location.getColumnNr();
  }
}
