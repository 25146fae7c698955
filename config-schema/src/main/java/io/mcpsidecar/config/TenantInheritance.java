package io.mcpsidecar.config;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills each {@code tenants[]} entry's left-out limit sections from {@code limits}, so the bound
 * {@link TenantConfig} is complete and {@code GET /config} shows what applies to each tenant. A
 * section an entry sets replaces the default section as a whole. Runs on the validated, defaulted
 * tree, after every violation was reported (so a bad default is reported once, at its own path).
 */
final class TenantInheritance {

  /** The sections a tenant may set; each is the key of the same name under {@code limits}. */
  static final List<String> SECTIONS = List.of("requests", "tools", "quotas", "concurrency");

  private TenantInheritance() {}

  static void apply(JsonNode tree) {
    JsonNode limits = tree.path("limits");
    for (JsonNode tenant : tree.path("tenants")) {
      if (tenant instanceof ObjectNode entry) {
        for (String section : SECTIONS) {
          if (!entry.has(section) && limits.has(section)) {
            entry.set(section, limits.get(section).deepCopy());
          }
        }
      }
    }
  }
}
