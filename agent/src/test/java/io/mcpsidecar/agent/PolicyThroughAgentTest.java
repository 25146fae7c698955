package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Policies through a real agent in front of a scripted server: refusals on the wire, conditions
 * over arguments of every JSON type, fail-closed evaluation, list filtering in JSON and SSE with
 * pagination, hidden tools, batches split between the agent and the server, audit mode and the
 * hand-over of approval requests.
 */
class PolicyThroughAgentTest {

  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static final String KEYS =
      "identity:\n"
          + "  anonymous: {allowed: false}\n"
          + "  apiKeys:\n"
          + "    - {key: trial-key, tenant: trial-1, subject: tess}\n"
          + "    - {key: acme-key, tenant: acme, subject: ada}\n";

  static final String TOOLS_PAGE_1 =
      "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"tools\":["
          + "{\"name\":\"read_file\",\"inputSchema\":{\"type\":\"object\"}},"
          + "{\"name\":\"delete_file\",\"inputSchema\":{\"type\":\"object\"}},"
          + "{\"name\":\"transfer\",\"inputSchema\":{\"type\":\"object\"}}],"
          + "\"nextCursor\":\"page-2\"}}";
  static final String TOOLS_PAGE_2 =
      "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"tools\":["
          + "{\"name\":\"write_file\",\"inputSchema\":{\"type\":\"object\"}},"
          + "{\"name\":\"search\",\"inputSchema\":{\"type\":\"object\"}}]}}";

  StubUpstream upstream;
  Agent agent;
  final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startUpstream() {
    upstream = new StubUpstream();
    // The stub has read the body already: the last one it received is this request's.
    upstream.handle(
        req -> answer(req, upstream.received().get(upstream.received().size() - 1).body()));
  }

  /** Answers tools/list in pages, as SSE when asked to, and echoes everything else. */
  void answer(HttpServerRequest req, String body) {
    received.add(body);
    String answer;
    if (body.startsWith("[")) {
      JsonArray out = new JsonArray();
      for (Object m : new JsonArray(body)) {
        JsonObject message = (JsonObject) m;
        if (message.containsKey("id")) {
          out.add(echo(message));
        }
      }
      if (out.isEmpty()) {
        req.response().setStatusCode(202).end();
        return;
      }
      answer = out.encode();
    } else {
      JsonObject message = new JsonObject(body);
      if (!message.containsKey("id")) {
        req.response().setStatusCode(202).end();
        return;
      }
      String id = message.getValue("id").toString();
      if ("tools/list".equals(message.getString("method"))) {
        JsonObject params = message.getJsonObject("params", new JsonObject());
        answer = String.format(params.containsKey("cursor") ? TOOLS_PAGE_2 : TOOLS_PAGE_1, id);
      } else {
        answer = echo(message).encode();
      }
    }
    if (req.getHeader("X-Huge") != null) {
      String huge = "x".repeat(5 * 1024 * 1024);
      req.response()
          .putHeader("Content-Type", "text/event-stream")
          .end(
              "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"tools\":["
                  + "{\"name\":\"delete_file\",\"description\":\""
                  + huge
                  + "\"}]}}\n\n");
      return;
    }
    if (req.getHeader("X-Answer-Sse") != null) {
      req.response()
          .putHeader("Content-Type", "text/event-stream")
          .end(
              "id: ev-1\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":"
                  + "\"notifications/tools/list_changed\"}\n\n"
                  + "id: ev-2\nevent: message\ndata: "
                  + answer
                  + "\n\n");
    } else {
      req.response().putHeader("Content-Type", "application/json").end(answer);
    }
  }

  static JsonObject echo(JsonObject message) {
    return new JsonObject()
        .put("jsonrpc", "2.0")
        .put("id", message.getValue("id"))
        .put("result", new JsonObject().put("echo", message.getJsonObject("params")));
  }

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  void start(String yaml) {
    agent = TestAgents.start(TestAgents.config(upstream.url(), KEYS + yaml));
  }

  HttpResponse<String> post(String key, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("Authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String call(int id, String tool, String arguments) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
        + tool
        + "\",\"arguments\":"
        + arguments
        + "}}";
  }

  static JsonObject error(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error");
  }

  static final String READONLY_TRIAL =
      "policy:\n"
          + "  rules:\n"
          + "    - id: readonly-trial\n"
          + "      effect: deny\n"
          + "      tenants: [\"trial-*\"]\n"
          + "      tools: [\"delete_*\", \"write_*\"]\n";

  @Test
  void aDeniedCallIsRefusedWithTheRuleAndNeverReachesTheServer() throws Exception {
    start(READONLY_TRIAL);

    HttpResponse<String> denied = post("trial-key", call(41, "delete_file", "{}"));

    assertThat(denied.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(denied.body());
    assertThat(body.getInteger("id")).isEqualTo(41);
    assertThat(body.getJsonObject("error").getInteger("code")).isEqualTo(-32011);
    JsonObject data = body.getJsonObject("error").getJsonObject("data");
    assertThat(data.getString("type")).isEqualTo("policy_denied");
    assertThat(data.getString("rule")).isEqualTo("readonly-trial");
    assertThat(received).isEmpty();

    assertThat(post("trial-key", call(42, "read_file", "{}")).statusCode()).isEqualTo(200);
    assertThat(post("acme-key", call(43, "delete_file", "{}")).statusCode()).isEqualTo(200);
    assertThat(received).hasSize(2);
    assertThat(
            RawHttp.metric(
                agent,
                "mcp_sidecar_policy_decisions_total{decision=\"deny\",rule=\"readonly-trial\","
                    + "tenant=\"trial-1\"}"))
        .isEqualTo(1.0);
    assertThat(
            RawHttp.metric(
                agent,
                "mcp_sidecar_policy_decisions_total{decision=\"allow\",rule=\"default\","
                    + "tenant=\"acme\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void aHiddenToolAnswersTheSameWhetherItExistsOrNot() throws Exception {
    start(READONLY_TRIAL);

    HttpResponse<String> existing = post("trial-key", call(7, "delete_file", "{}"));
    HttpResponse<String> missing = post("trial-key", call(7, "delete_no_such_tool", "{}"));

    assertThat(missing.statusCode()).isEqualTo(existing.statusCode()).isEqualTo(200);
    JsonObject a = error(existing);
    JsonObject b = error(missing);
    a.getJsonObject("data").remove("requestId");
    b.getJsonObject("data").remove("requestId");
    assertThat(b).isEqualTo(a);
    assertThat(received).isEmpty();
  }

  static final String CONDITIONS =
      "policy:\n"
          + "  rules:\n"
          + "    - {id: big-int, effect: deny, tools: [t], when: 'args.n > 1000'}\n"
          + "    - {id: etc, effect: deny, tools: [t], when: 'args.path.startsWith(\"/etc/\")'}\n"
          + "    - {id: forced, effect: deny, tools: [t], when: 'args.force == true'}\n"
          + "    - {id: nulled, effect: deny, tools: [t], when: 'args.owner == null'}\n"
          + "    - {id: listed, effect: deny, tools: [t], when: 'args.flags.exists(f, f == \"rm\")'}\n"
          + "    - {id: nested, effect: deny, tools: [t], when: 'args.o.inner.depth >= 3'}\n"
          + "    - {id: ratio, effect: deny, tools: [t], when: 'args.ratio < 0.5'}\n";

  static final String SAFE =
      "\"n\":10,\"path\":\"/tmp/x\",\"force\":false,\"owner\":\"me\",\"flags\":[\"ls\"],"
          + "\"o\":{\"inner\":{\"depth\":1}},\"ratio\":0.9";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "an int above the bound | \"n\":5000 | big-int",
        "a double above the bound | \"n\":1000.5 | big-int",
        "an int written as a double | \"n\":2000.0 | big-int",
        "a string prefix | \"path\":\"/etc/passwd\" | etc",
        "a boolean | \"force\":true | forced",
        "a null | \"owner\":null | nulled",
        "an array member | \"flags\":[\"ls\",\"rm\"] | listed",
        "a nested object | \"o\":{\"inner\":{\"depth\":3}} | nested",
        "a double below the bound | \"ratio\":0.25 | ratio",
        "an int compared with a double | \"ratio\":0 | ratio"
      })
  void conditionsSeeArgumentsOfEveryJsonType(String name, String member, String rule)
      throws Exception {
    start(CONDITIONS);
    assertThat(post("acme-key", call(1, "t", "{" + SAFE + "}")).statusCode()).isEqualTo(200);

    String key = member.substring(0, member.indexOf(':'));
    JsonObject args = new JsonObject("{" + SAFE + "}");
    args.remove(key.replace("\"", ""));
    String arguments =
        args.encode().replaceFirst("\\{", "{" + member + (args.isEmpty() ? "" : ","));
    HttpResponse<String> denied = post("acme-key", call(2, "t", arguments));

    assertThat(denied.statusCode()).as(denied.body()).isEqualTo(200);
    assertThat(error(denied).getJsonObject("data").getString("rule")).isEqualTo(rule);
  }

  @Test
  void aConditionThatFailsDeniesForDenyRulesAndDoesNotAllowForAllowRules() throws Exception {
    start(
        "policy:\n"
            + "  default: deny\n"
            + "  rules:\n"
            + "    - {id: amounts, effect: deny, tools: [pay], when: 'args.amount > 100'}\n"
            + "    - {id: payers, effect: allow, tools: [pay], when: 'args.payer == \"ada\"'}\n"
            + "    - {id: reads, effect: allow, tools: [read]}\n");

    // no amount: the deny rule's condition fails and counts as a match
    HttpResponse<String> noAmount = post("acme-key", call(1, "pay", "{\"payer\":\"ada\"}"));
    assertThat(error(noAmount).getJsonObject("data").getString("rule")).isEqualTo("amounts");
    // amount of the wrong type: the same
    HttpResponse<String> text =
        post("acme-key", call(2, "pay", "{\"amount\":\"lots\",\"payer\":\"ada\"}"));
    assertThat(error(text).getJsonObject("data").getString("rule")).isEqualTo("amounts");
    // no payer: the allow rule's condition fails and does not allow; the default denies
    HttpResponse<String> noPayer = post("acme-key", call(3, "pay", "{\"amount\":5}"));
    assertThat(error(noPayer).getJsonObject("data").getString("rule")).isEqualTo("default");
    assertThat(post("acme-key", call(4, "pay", "{\"amount\":5,\"payer\":\"ada\"}")).statusCode())
        .isEqualTo(200);
    assertThat(
            RawHttp.metric(agent, "mcp_sidecar_policy_evaluation_errors_total{rule=\"amounts\"}"))
        .isEqualTo(2.0);
    assertThat(RawHttp.metric(agent, "mcp_sidecar_policy_evaluation_errors_total{rule=\"payers\"}"))
        .isEqualTo(1.0);
  }

  static String listTools(int id, String cursor) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\"tools/list\",\"params\":{"
        + (cursor == null ? "" : "\"cursor\":\"" + cursor + "\"")
        + "}}";
  }

  static List<String> toolNames(String json) {
    JsonObject result = new JsonObject(json).getJsonObject("result");
    return result.getJsonArray("tools").stream()
        .map(t -> ((JsonObject) t).getString("name"))
        .toList();
  }

  @Test
  void listsShowOnlyWhatTheTenantMayCallPageByPage() throws Exception {
    start(READONLY_TRIAL);

    HttpResponse<String> first = post("trial-key", listTools(3, null));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(toolNames(first.body())).containsExactly("read_file", "transfer");
    assertThat(first.headers().firstValueAsLong("Content-Length"))
        .hasValue(first.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertThat(new JsonObject(first.body()).getJsonObject("result").getString("nextCursor"))
        .isEqualTo("page-2");
    HttpResponse<String> second = post("trial-key", listTools(4, "page-2"));
    assertThat(toolNames(second.body())).containsExactly("search");

    // another tenant sees everything
    assertThat(toolNames(post("acme-key", listTools(5, null)).body()))
        .containsExactly("read_file", "delete_file", "transfer");
  }

  @Test
  void listsAreFilteredInEventStreamsAndListChangedPassesThrough() throws Exception {
    start(READONLY_TRIAL);

    HttpResponse<String> answer = post("trial-key", listTools(8, null), "X-Answer-Sse", "yes");

    assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    String[] events = answer.body().split("\n\n");
    assertThat(events[0]).contains("id: ev-1").contains("notifications/tools/list_changed");
    assertThat(events[1]).startsWith("id: ev-2\nevent: message\ndata: ");
    String data = events[1].substring(events[1].indexOf("data: ") + 6);
    assertThat(toolNames(data)).containsExactly("read_file", "transfer");
  }

  @Test
  void aListEventTooLargeToFilterEndsTheStreamInsteadOfLeaking() throws Exception {
    start(READONLY_TRIAL);

    HttpResponse<String> answer = post("trial-key", listTools(9, null), "X-Huge", "yes");

    assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(answer.body()).doesNotContain("delete_file").doesNotContain("\"tools\"");
  }

  @Test
  void aRuleWithAConditionDoesNotHideAndADefaultDenyHidesWhatNoRuleAllows() throws Exception {
    start(
        "policy:\n"
            + "  default: deny\n"
            + "  rules:\n"
            + "    - {id: reads, effect: allow, tools: [\"read_*\", \"search\"]}\n"
            + "    - {id: etc, effect: deny, tools: [read_file], when: 'args.path == \"/etc\"'}\n"
            + "    - {id: pay, effect: approve, tools: [transfer]}\n");

    assertThat(toolNames(post("acme-key", listTools(1, null)).body()))
        .containsExactly("read_file", "transfer");
  }

  static final String BATCH =
      "["
          + call(1, "read_file", "{}")
          + ","
          + call(2, "delete_file", "{}")
          + ","
          + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}},"
          + call(3, "write_file", "{}")
          + "]";

  @Test
  void aBatchIsDecidedCallByCallAndAnsweredAsOneArray() throws Exception {
    start(READONLY_TRIAL);

    HttpResponse<String> answer = post("trial-key", BATCH, "MCP-Protocol-Version", "2025-03-26");

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonArray responses = new JsonArray(answer.body());
    assertThat(responses).hasSize(3);
    assertThat(answer.headers().firstValueAsLong("Content-Length"))
        .hasValue(answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    JsonObject first = responses.getJsonObject(0);
    assertThat(first.getInteger("id")).isEqualTo(1);
    assertThat(first.containsKey("result")).isTrue();
    assertThat(responses.getJsonObject(1).getInteger("id")).isEqualTo(2);
    assertThat(responses.getJsonObject(1).getJsonObject("error").getInteger("code"))
        .isEqualTo(-32011);
    assertThat(responses.getJsonObject(2).getInteger("id")).isEqualTo(3);
    // the server saw only what was allowed
    assertThat(received).hasSize(1);
    JsonArray forwarded = new JsonArray(received.get(0));
    assertThat(forwarded).hasSize(2);
    assertThat(forwarded.getJsonObject(0).getInteger("id")).isEqualTo(1);
    assertThat(forwarded.getJsonObject(1).getString("method")).isEqualTo("notifications/progress");
  }

  @Test
  void aDeniedCallIsTakenOutOfABatchHoweverItsIdIsSpelled() throws Exception {
    start(READONLY_TRIAL);
    String batch =
        "["
            + call(1, "read_file", "{}")
            + ","
            + call(1, "delete_file", "{}").replace("\"id\":1,", "\"id\":1e3,")
            + ","
            + call(1, "write_file", "{}").replace("\"id\":1,", "\"id\":\"a\\u0062\",")
            + "]";

    HttpResponse<String> answer = post("trial-key", batch, "MCP-Protocol-Version", "2025-03-26");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(new JsonArray(answer.body())).hasSize(3);
    assertThat(received).hasSize(1);
    assertThat(received.get(0)).doesNotContain("delete_file").doesNotContain("write_file");
  }

  @Test
  void aBatchOfOnlyDeniedCallsIsAnsweredByTheAgent() throws Exception {
    start(READONLY_TRIAL);

    HttpResponse<String> answer =
        post(
            "trial-key",
            "[" + call(1, "delete_a", "{}") + "," + call(2, "write_b", "{}") + "]",
            "MCP-Protocol-Version",
            "2025-03-26");

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonArray responses = new JsonArray(answer.body());
    assertThat(responses).hasSize(2);
    assertThat(
            responses
                .getJsonObject(1)
                .getJsonObject("error")
                .getJsonObject("data")
                .getString("rule"))
        .isEqualTo("readonly-trial");
    assertThat(received).isEmpty();
  }

  @Test
  void aBatchWhoseAllowedPartIsOnlyNotificationsGetsTheAgentsAnswers() throws Exception {
    start(READONLY_TRIAL);

    HttpResponse<String> answer =
        post(
            "trial-key",
            "["
                + call(1, "delete_a", "{}")
                + ",{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}]",
            "MCP-Protocol-Version",
            "2025-03-26");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(new JsonArray(answer.body())).hasSize(1);
    assertThat(received).hasSize(1);
  }

  @Test
  void aBatchAnsweredAsAStreamGetsTheAgentsAnswersAsEvents() throws Exception {
    start(READONLY_TRIAL);

    HttpResponse<String> answer =
        post("trial-key", BATCH, "MCP-Protocol-Version", "2025-03-26", "X-Answer-Sse", "yes");

    assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(answer.body()).contains("\"code\":-32011").contains("\"id\":2,");
  }

  @Test
  void auditModeRefusesNothingAndCountsWhatItWouldHaveDone() throws Exception {
    start(READONLY_TRIAL + "  mode: audit\n");

    assertThat(post("trial-key", call(1, "delete_file", "{}")).statusCode()).isEqualTo(200);
    assertThat(toolNames(post("trial-key", listTools(2, null)).body())).hasSize(3);
    assertThat(received).hasSize(2);
    assertThat(
            RawHttp.metric(
                agent,
                "mcp_sidecar_policy_decisions_total{decision=\"deny\",rule=\"readonly-trial\","
                    + "tenant=\"trial-1\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void aTenantsOwnRuleSetReplacesTheDefaultSet() throws Exception {
    start(
        READONLY_TRIAL
            + "tenants:\n"
            + "  - id: trial-1\n"
            + "    policy:\n"
            + "      default: deny\n"
            + "      rules: [{id: only-search, effect: allow, tools: [search]}]\n");

    assertThat(post("trial-key", call(1, "search", "{}")).statusCode()).isEqualTo(200);
    HttpResponse<String> read = post("trial-key", call(2, "read_file", "{}"));
    assertThat(error(read).getJsonObject("data").getString("rule")).isEqualTo("default");
    assertThat(post("acme-key", call(3, "read_file", "{}")).statusCode()).isEqualTo(200);
  }

  @Test
  void approveRulesHandTheRequestToTheApprovalsStageWithItsArguments() throws Exception {
    agent =
        Agent.builder(
                TestAgents.configWithAdmin(
                    upstream.url(),
                    "  token: admin-t0ken\n",
                    KEYS
                        + "policy:\n  rules:\n"
                        + "    - {id: big-payments, effect: approve, tools: [transfer],"
                        + " when: 'double(args.amount) > 1000.0'}\n"))
            .start()
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);

    post("acme-key", call(1, "transfer", "{\"amount\":50}"));
    HttpResponse<String> deferred =
        post("acme-key", call(2, "transfer", "{\"amount\":5000,\"to\":\"bob\"}"));

    // The approvals stage right after policy opened a pending approval from what policy handed on.
    JsonObject error = new JsonObject(deferred.body()).getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(-32015);
    assertThat(error.getJsonObject("data").getString("rule")).isEqualTo("big-payments");
    JsonObject list =
        new JsonObject(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + agent.adminPort() + "/approvals"))
                        .header("Authorization", "Bearer admin-t0ken")
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    assertThat(list.getJsonArray("approvals")).hasSize(1);
    JsonObject request = list.getJsonArray("approvals").getJsonObject(0);
    assertThat(request.getString("id"))
        .isEqualTo(error.getJsonObject("data").getString("approvalId"));
    assertThat(request.getString("rule")).isEqualTo("big-payments");
    assertThat(request.getString("tenant")).isEqualTo("acme");
    assertThat(request.getString("subject")).isEqualTo("ada");
    assertThat(request.getString("method")).isEqualTo("tools/call");
    assertThat(request.getString("tool")).isEqualTo("transfer");
    assertThat(request.getJsonObject("arguments").getMap())
        .isEqualTo(Map.of("amount", 5000, "to", "bob"));
    assertThat(request.getString("policyVersion")).hasSize(32);
    assertThat(
            RawHttp.metric(
                agent,
                "mcp_sidecar_policy_decisions_total{decision=\"approval_required\","
                    + "rule=\"big-payments\",tenant=\"acme\"}"))
        .isEqualTo(1.0);
  }
}
