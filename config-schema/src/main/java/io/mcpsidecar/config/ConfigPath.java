package io.mcpsidecar.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a value sits in a configuration, rendered the way an operator writes it: dotted keys and
 * {@code [i]} for list items ({@code edge.allowedOrigins[1]}); the document itself is {@code $}.
 */
record ConfigPath(List<Object> segments) {

  static final ConfigPath ROOT = new ConfigPath(List.of());

  ConfigPath {
    segments = List.copyOf(segments);
  }

  /** Parses the dotted form back into a path; used for paths named in the schema. */
  static ConfigPath parse(String dotted) {
    ConfigPath path = ROOT;
    for (String part : dotted.split("\\.")) {
      int bracket = part.indexOf('[');
      path = path.child(bracket < 0 ? part : part.substring(0, bracket));
      while (bracket >= 0) {
        int close = part.indexOf(']', bracket);
        path = path.index(Integer.parseInt(part.substring(bracket + 1, close)));
        bracket = part.indexOf('[', close);
      }
    }
    return path;
  }

  ConfigPath child(String name) {
    List<Object> next = new ArrayList<>(segments);
    next.add(name);
    return new ConfigPath(next);
  }

  ConfigPath index(int i) {
    List<Object> next = new ArrayList<>(segments);
    next.add(i);
    return new ConfigPath(next);
  }

  boolean isRoot() {
    return segments.isEmpty();
  }

  @Override
  public String toString() {
    if (segments.isEmpty()) {
      return "$";
    }
    StringBuilder out = new StringBuilder();
    for (Object segment : segments) {
      if (segment instanceof Integer i) {
        out.append('[').append(i).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(segment);
      }
    }
    return out.toString();
  }
}
