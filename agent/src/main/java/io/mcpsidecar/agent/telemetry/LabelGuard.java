package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.Glob;
import io.mcpsidecar.config.TenantConfig;
import io.mcpsidecar.config.ToolRateConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the values a client-controlled label (a tool, prompt or resource name) may take, in number
 * and in size:
 *
 * <ul>
 *   <li>a value is cut to {@link #MAX_CHARS} characters, and one holding a character outside {@link
 *       #isSafe the safe set} is {@link #OTHER} (so no control characters, quotes or non-ASCII
 *       reach a label);
 *   <li>names the config mentions literally (tool rules and costs under {@code limits} and {@code
 *       tenants}) always keep their own value;
 *   <li>other names keep theirs first come, first served, up to {@code max}; a name is only
 *       admitted when the server answered its call (not with a JSON-RPC error), so calls naming
 *       tools that do not exist cannot use up the places; past the cap, or unadmitted, {@link
 *       #OTHER}.
 * </ul>
 *
 * So the series of one metric grow by at most {@code max} plus the configured names, whatever
 * clients send.
 */
final class LabelGuard {

  /** The label value of everything past the cap, as the OpenTelemetry conventions name it. */
  static final String OTHER = "_OTHER";

  /** Longest label value kept; the MCP spec's limit on tool names. */
  static final int MAX_CHARS = 128;

  private final Set<String> admitted = ConcurrentHashMap.newKeySet();
  private volatile Pinned pinned = new Pinned(null, Set.of());

  private record Pinned(AgentConfig from, Set<String> names) {}

  /**
   * The label of {@code value}.
   *
   * @param admit whether a name not seen yet may take one of the {@code max} places
   */
  String label(String value, int max, AgentConfig config, boolean admit) {
    if (value == null) {
      return "";
    }
    String cut = value.length() <= MAX_CHARS ? value : value.substring(0, MAX_CHARS);
    if (!isSafe(cut)) {
      return OTHER;
    }
    if (admitted.contains(cut) || pinnedNames(config).contains(cut)) {
      return cut;
    }
    if (!admit || admitted.size() >= max) {
      return OTHER;
    }
    admitted.add(cut);
    return cut;
  }

  /**
   * Whether every character is printable ASCII other than quote, backslash, braces and angle
   * brackets: enough for tool names and resource URIs, and nothing that needs escaping anywhere a
   * label goes.
   */
  static boolean isSafe(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '{' || c == '}' || c == '<'
          || c == '>') {
        return false;
      }
    }
    return true;
  }

  /** Distinct first-come names admitted so far. */
  int admitted() {
    return admitted.size();
  }

  private Set<String> pinnedNames(AgentConfig config) {
    Pinned p = pinned;
    if (config == null) {
      return p.names();
    }
    if (p.from() != config) {
      p = new Pinned(config, configured(config));
      pinned = p;
    }
    return p.names();
  }

  /** Tool names written out (not as globs) in the limits and tenants of {@code config}. */
  static Set<String> configured(AgentConfig config) {
    Set<String> names = new HashSet<>();
    addLiterals(names, config.limits().tools());
    config.limits().costs().forEach(c -> addLiteral(names, c.match()));
    for (TenantConfig tenant : config.tenants()) {
      addLiterals(names, tenant.tools());
    }
    return Set.copyOf(names);
  }

  private static void addLiterals(Set<String> names, List<ToolRateConfig> rules) {
    rules.forEach(r -> addLiteral(names, r.match()));
  }

  private static void addLiteral(Set<String> names, Glob match) {
    if (match.literal() && match.text().length() <= MAX_CHARS && isSafe(match.text())) {
      names.add(match.text());
    }
  }
}
