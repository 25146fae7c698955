package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Session ids through a real agent with API-key identity: ids are checked at the edge (visible
 * ASCII, bounded length, one header), only ids the server issued or accepted are bound, the table
 * stays within its byte cap under a flood, and a flood never lets another key adopt a session.
 */
class SessionIdsThroughAgentTest {

  static final String TOOLS_CALL =
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";
  static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
          + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
  static final long MAX_TABLE_BYTES = 65536;

  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static StubUpstream upstream;
  static Agent agent;
  static volatile boolean acceptsAnySession;

  @BeforeAll
  static void start() {
    upstream = new StubUpstream();
    agent = TestAgents.start(TestAgents.config(upstream.url(), identity("")));
  }

  static String identity(String sessions) {
    return "identity:\n"
        + "  anonymous: {allowed: false}\n"
        + "  apiKeys:\n"
        + "    - {key: ada-key, tenant: acme, subject: ada}\n"
        + "    - {key: mallory-key, tenant: evil, subject: mallory}\n"
        + sessions;
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  /** A server that issues real-… ids and, unless told otherwise, knows no other. */
  @BeforeEach
  void answerLikeAServer() {
    acceptsAnySession = false;
    upstream.received().clear();
    upstream.handle(
        req -> {
          var response = req.response().putHeader("Content-Type", "application/json");
          String session = req.getHeader("Mcp-Session-Id");
          if (session == null) {
            response.putHeader("Mcp-Session-Id", "real-" + req.getHeader("X-Request-Id"));
          } else if (!session.startsWith("real-") && !acceptsAnySession) {
            response.setStatusCode(404).end();
            return;
          }
          response.end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        });
  }

  static HttpResponse<String> post(String key, String body, String session) throws Exception {
    return post(agent, key, body, session);
  }

  static HttpResponse<String> post(Agent to, String key, String body, String session)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(to)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("X-API-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Mcp-Session-Id", session);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String open(String key) throws Exception {
    return open(agent, key);
  }

  static String open(Agent to, String key) throws Exception {
    HttpResponse<String> opened = post(to, key, INITIALIZE, null);
    assertThat(opened.statusCode()).isEqualTo(200);
    return opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
  }

  static long gauge(String name) throws Exception {
    return gauge(agent, name);
  }

  static long gauge(Agent of, String name) throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + of.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.E+]+)$").matcher(metrics);
    assertThat(m.find()).as(name).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  static JsonObject error(String body) {
    return new JsonObject(body).getJsonObject("error");
  }

  /** Sends {@code head} (request line and headers, CRLF-separated) and body as raw bytes. */
  static String raw(byte[] head, String body) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", agent.mcpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      out.write(
          ("Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  static byte[] head(String method, String... sessionIds) {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.writeBytes(
        (method
                + " /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: ada-key\r\n"
                + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    for (String id : sessionIds) {
      head.writeBytes("Mcp-Session-Id: ".getBytes(StandardCharsets.ISO_8859_1));
      head.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
      head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    return head.toByteArray();
  }

  static void assertRefused(String answer, String reason, String id) {
    assertThat(answer).startsWith("HTTP/1.1 400");
    JsonObject body = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    assertThat(body.getString("jsonrpc")).isEqualTo("2.0");
    assertThat(String.valueOf(body.getValue("id"))).isEqualTo(id);
    assertThat(body.getJsonObject("error").getInteger("code")).isEqualTo(-32600);
    assertThat(body.getJsonObject("error").getJsonObject("data").getString("reason"))
        .isEqualTo(reason);
  }

  @Test
  void refusesTwoSessionIdHeadersBeforeTheServerSeesThem() throws Exception {
    String session = open("ada-key");
    upstream.received().clear();

    String answer = raw(head("POST", session, "real-someone-else"), TOOLS_CALL);

    assertRefused(answer, "duplicate_session_id", "7");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void refusesSessionIdsThatAreNotVisibleAscii() throws Exception {
    for (String id : new String[] {"real-a b", "real-a\tb", "real-\u00e9t\u00e9", "real-\u00ff"}) {
      assertRefused(raw(head("POST", id), TOOLS_CALL), "invalid_session_id", "7");
    }
    assertRefused(raw(head("GET", "real-a b"), ""), "invalid_session_id", "null");
    // Control characters never get past the HTTP layer, which answers a bare 400 itself.
    assertThat(raw(head("POST", "real-a\u007fb"), TOOLS_CALL)).startsWith("HTTP/1.1 400");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void refusesASessionIdLongerThanTheCap() throws Exception {
    HttpResponse<String> refused = post("ada-key", TOOLS_CALL, "real-" + "x".repeat(252));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(refused.body()).getInteger("id")).isEqualTo(7);
    assertThat(error(refused.body()).getJsonObject("data").getString("reason"))
        .isEqualTo("invalid_session_id");
    assertThat(post("ada-key", TOOLS_CALL, "real-" + "x".repeat(251)).statusCode()).isEqualTo(200);
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void bindsNoMadeUpIdTheServerDoesNotKnow() throws Exception {
    String session = open("ada-key");
    // The initialize's exchange ends (and its reserved room turns into the session's entry) on
    // its connection's event loop, possibly just after the client has its answer.
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> agent.endpoint().streams().inFlight() == 0);
    long before = gauge("mcp_sidecar_identity_session_table_bytes");
    for (int i = 0; i < 300; i++) {
      assertThat(post("mallory-key", TOOLS_CALL, "made-up-" + i + "y".repeat(200)).statusCode())
          .isEqualTo(404);
    }

    // Room reserved for an id is given back as its exchange ends, on its connection's event loop.
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(gauge("mcp_sidecar_identity_session_table_bytes")).isEqualTo(before));
    assertThat(post("mallory-key", TOOLS_CALL, session).statusCode()).isEqualTo(404);
    assertThat(post("ada-key", TOOLS_CALL, session).statusCode()).isEqualTo(200);
  }

  @Test
  void recordsNoIssuedIdThatNoClientCouldPresentAndGivesBackTheReservedRoom() throws Exception {
    long before = gauge("mcp_sidecar_identity_sessions");
    long bytesBefore = gauge("mcp_sidecar_identity_session_table_bytes");
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Mcp-Session-Id", "real-" + "x".repeat(300))
                .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));

    assertThat(post("ada-key", INITIALIZE, null).statusCode()).isEqualTo(200);

    // The room is given back as the exchange ends, on the event loop of the client's connection,
    // which may be a moment after the client has the answer.
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(gauge("mcp_sidecar_identity_sessions")).isEqualTo(before);
              assertThat(gauge("mcp_sidecar_identity_session_table_bytes")).isEqualTo(bytesBefore);
            });
  }

  @Test
  void bindsAnUnknownIdTheServerAcceptsToTheKeyThatPresentedIt() throws Exception {
    acceptsAnySession = true; // e.g. a session opened before the agent restarted
    assertThat(post("ada-key", TOOLS_CALL, "opened-before-a-restart").statusCode()).isEqualTo(200);
    upstream.received().clear();

    HttpResponse<String> intruder = post("mallory-key", TOOLS_CALL, "opened-before-a-restart");

    assertThat(intruder.statusCode()).isEqualTo(404);
    assertThat(error(intruder.body()).getInteger("code")).isEqualTo(-32017);
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void aFloodOfAcceptedIdsStaysUnderTheCapAndNeverUnseatsAnOwner() throws Exception {
    Agent small =
        TestAgents.start(
            TestAgents.config(
                upstream.url(), identity("  sessions: {maxBytes: " + MAX_TABLE_BYTES + "}\n")));
    try {
      String adas = open(small, "ada-key");
      acceptsAnySession = true; // a lax server: every id it is shown, it accepts
      for (int i = 0; i < 400; i++) {
        String made = "flood-" + i + "z".repeat(240);
        assertThat(post(small, "mallory-key", TOOLS_CALL, made).statusCode()).isEqualTo(200);
      }

      assertThat(gauge(small, "mcp_sidecar_identity_session_table_bytes"))
          .isLessThanOrEqualTo(MAX_TABLE_BYTES)
          .isGreaterThan(MAX_TABLE_BYTES / 2);
      upstream.received().clear();
      HttpResponse<String> intruder = post(small, "mallory-key", TOOLS_CALL, adas);
      assertThat(intruder.statusCode()).isEqualTo(404);
      assertThat(error(intruder.body()).getInteger("code")).isEqualTo(-32017);
      assertThat(upstream.received()).isEmpty();
      assertThat(post(small, "ada-key", TOOLS_CALL, adas).statusCode()).isEqualTo(200);

      HttpResponse<String> full = post(small, "ada-key", INITIALIZE, null);
      assertThat(full.statusCode()).isEqualTo(503);
      assertThat(error(full.body()).getInteger("code")).isEqualTo(-32019);
      assertThat(error(full.body()).getJsonObject("data").getString("reason"))
          .isEqualTo("session_table_full");
      assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(gauge(small, "mcp_sidecar_identity_session_table_bytes"))
          .isLessThanOrEqualTo(MAX_TABLE_BYTES);
    } finally {
      TestAgents.stop(small);
    }
  }
}
