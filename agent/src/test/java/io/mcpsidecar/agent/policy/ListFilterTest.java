package io.mcpsidecar.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every list kind, batches of answers, and what is left alone. */
class ListFilterTest {

  static final RuleSet RULES =
      RuleSetTest.rules(
          "policy:\n  rules:\n"
              + "    - {id: no-internal, effect: deny, prompts: [\"internal_*\"]}\n"
              + "    - {id: no-secrets, effect: deny, resources: [\"file:///secrets/*\"]}\n"
              + "    - {id: no-delete, effect: deny, tools: [\"delete_*\"]}\n");

  static ListFilter filter(Map<String, ListFilter.Listing> requests) {
    return new ListFilter(RULES, "acme", "ada", requests);
  }

  @Test
  void filtersPromptsResourcesAndTemplates() {
    String prompts =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"prompts\":[{\"name\":\"greet\"},"
            + "{\"name\":\"internal_ops\"}]}}";
    String resources =
        "{\"jsonrpc\":\"2.0\",\"id\":\"r\",\"result\":{\"resources\":[{\"uri\":\"file:///docs/a\"},"
            + "{\"uri\":\"file:///secrets/key\"}],\"nextCursor\":\"c2\"}}";
    String templates =
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"resourceTemplates\":["
            + "{\"uriTemplate\":\"file:///secrets/{name}\"},{\"uriTemplate\":\"file:///docs/{n}\"}]}}";

    ListFilter f =
        filter(
            Map.of(
                "1", ListFilter.Listing.PROMPTS,
                "\"r\"", ListFilter.Listing.RESOURCES,
                "3", ListFilter.Listing.TEMPLATES));

    assertThat(new JsonObject(f.rewrite(prompts)).getJsonObject("result").getJsonArray("prompts"))
        .containsExactly(new JsonObject().put("name", "greet"));
    JsonObject result = new JsonObject(f.rewrite(resources)).getJsonObject("result");
    assertThat(result.getJsonArray("resources"))
        .containsExactly(new JsonObject().put("uri", "file:///docs/a"));
    assertThat(result.getString("nextCursor")).isEqualTo("c2");
    assertThat(
            new JsonObject(f.rewrite(templates))
                .getJsonObject("result")
                .getJsonArray("resourceTemplates"))
        .containsExactly(new JsonObject().put("uriTemplate", "file:///docs/{n}"));
  }

  @Test
  void filtersInsideABatchOfAnswersAndLeavesOtherMessagesAlone() {
    String batch =
        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"delete_x\"},"
            + "{\"name\":\"read\"}]}},{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":"
            + "[{\"name\":\"delete_y\"}]}}]";

    JsonArray out = new JsonArray(filter(Map.of("1", ListFilter.Listing.TOOLS)).rewrite(batch));

    assertThat(out.getJsonObject(0).getJsonObject("result").getJsonArray("tools")).hasSize(1);
    assertThat(out.getJsonObject(1).getJsonObject("result").getJsonArray("tools"))
        .as("not a list request of this call")
        .hasSize(1);
    String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}";
    assertThat(filter(Map.of("1", ListFilter.Listing.TOOLS)).rewrite(notification))
        .isSameAs(notification);
  }

  @Test
  void anEntryWithoutAUsableNameIsHidden() {
    String odd =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":7},{\"title\":\"x\"},"
            + "{\"name\":\"read\"}]}}";

    assertThat(
            new JsonObject(filter(Map.of("1", ListFilter.Listing.TOOLS)).rewrite(odd))
                .getJsonObject("result")
                .getJsonArray("tools"))
        .containsExactly(new JsonObject().put("name", "read"));
  }
}
