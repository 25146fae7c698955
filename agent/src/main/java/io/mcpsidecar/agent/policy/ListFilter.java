package io.mcpsidecar.agent.policy;

import io.mcpsidecar.agent.mcp.TargetKind;
import io.mcpsidecar.agent.transport.AnswerRewrite;
import io.mcpsidecar.agent.transport.BatchSplit;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Hides from list answers ({@code tools/list}, {@code prompts/list}, {@code resources/list}, {@code
 * resources/templates/list}) what the caller's rule set refuses on names alone ({@link
 * RuleSet#shows}), page by page: the cursor ({@code nextCursor}) is the server's and passes
 * unchanged, so a page may come back shorter or empty. Everything else in the answer (other
 * messages, notifications such as {@code notifications/tools/list_changed}) passes unchanged.
 */
final class ListFilter implements AnswerRewrite {

  /** What each list method lists: the member of the result, its call method and name field. */
  enum Listing {
    TOOLS("tools", "tools/call", TargetKind.TOOL, "name"),
    PROMPTS("prompts", "prompts/get", TargetKind.PROMPT, "name"),
    RESOURCES("resources", "resources/read", TargetKind.RESOURCE, "uri"),
    TEMPLATES("resourceTemplates", "resources/read", TargetKind.RESOURCE, "uriTemplate");

    final String member;
    final String callMethod;
    final TargetKind kind;
    final String field;

    Listing(String member, String callMethod, TargetKind kind, String field) {
      this.member = member;
      this.callMethod = callMethod;
      this.kind = kind;
      this.field = field;
    }

    static Listing of(String method) {
      if (method == null) {
        return null;
      }
      return switch (method) {
        case "tools/list" -> TOOLS;
        case "prompts/list" -> PROMPTS;
        case "resources/list" -> RESOURCES;
        case "resources/templates/list" -> TEMPLATES;
        default -> null;
      };
    }
  }

  private final RuleSet rules;
  private final String tenant;
  private final String subject;
  private final Map<String, Listing> requests;

  /**
   * @param requests the list requests of the call, by id as JSON text
   */
  ListFilter(RuleSet rules, String tenant, String subject, Map<String, Listing> requests) {
    this.rules = rules;
    this.tenant = tenant;
    this.subject = subject;
    Map<String, Listing> byKey = new java.util.HashMap<>();
    requests.forEach((id, listing) -> byKey.put(BatchSplit.idKey(id), listing));
    this.requests = Map.copyOf(byKey);
  }

  @Override
  public String rewrite(String json) {
    Object parsed;
    try {
      parsed = Json.decodeValue(json);
    } catch (DecodeException e) {
      return json;
    }
    boolean changed = false;
    if (parsed instanceof JsonObject message) {
      changed = filter(message);
    } else if (parsed instanceof JsonArray batch) {
      for (Object element : batch) {
        if (element instanceof JsonObject message) {
          changed |= filter(message);
        }
      }
    }
    return changed ? Json.encode(parsed) : json;
  }

  private boolean filter(JsonObject message) {
    if (!message.containsKey("id") || !(message.getValue("result") instanceof JsonObject result)) {
      return false;
    }
    Listing listing = requests.get(BatchSplit.idKey(message.getValue("id")));
    if (listing == null || !(result.getValue(listing.member) instanceof JsonArray items)) {
      return false;
    }
    JsonArray shown = new JsonArray();
    for (Object item : items) {
      if (item instanceof JsonObject entry && shows(listing, entry.getValue(listing.field))) {
        shown.add(entry);
      }
    }
    if (shown.size() == items.size()) {
      return false;
    }
    result.put(listing.member, shown);
    return true;
  }

  // An entry without a usable name cannot be judged: hidden (fail closed).
  private boolean shows(Listing listing, Object name) {
    return name instanceof String text
        && rules.shows(tenant, subject, listing.callMethod, listing.kind, text);
  }
}
