package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What clients send cannot grow /metrics: invented HTTP methods, JSON-RPC methods, tool names and
 * very long names, tens of thousands of them, leave the scrape the same size. And every metric of
 * the agent explains itself (HELP text, checked by promtool when it is installed).
 */
class MetricsBoundsTest {

  private static final int FLOOD = 12_000;
  private static StubUpstream upstream;
  private static Agent agent;
  private static final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    upstream = new StubUpstream();
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]}}"));
    agent =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                // the access log would write a line per request: slow, and not what is tested
                "logging:\n  accessLog: false\ntelemetry:\n  metrics:\n    maxTargets: 50\n"));
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  @Test
  void floodsOfInventedMethodsAndNamesLeaveTheScrapeTheSameSize() throws Exception {
    Random random = new Random(42);
    flood(random);
    String first = scrape();
    flood(random);
    String second = scrape();

    assertThat(series(second)).isEqualTo(series(first));
    assertThat(second.length()).isLessThan(first.length() + 4096).isLessThan(2_000_000);
    Set<String> methods = labelValues(second, "http_request_method");
    assertThat(methods).contains("_OTHER").isSubsetOf("GET", "POST", "DELETE", "PUT", "_OTHER");
    Set<String> targets = labelValues(second, "gen_ai_tool_name");
    assertThat(targets).contains("_OTHER").hasSizeLessThanOrEqualTo(50 + 2);
    assertThat(targets).allMatch(t -> t.length() <= 128);
    assertThat(labelValues(second, "mcp_method_name")).contains("tools/call", "_OTHER");
  }

  @Test
  void everyMetricOfTheAgentHasHelpTextAndPassesPromtool() throws Exception {
    pipelined(20, i -> raw("POST", toolCall("echo")));
    pipelined(5, i -> raw("GET", null));
    String text = scrape();

    Matcher types = Pattern.compile("(?m)^# TYPE ((?:mcp_sidecar|mcp_server)_\\w+) ").matcher(text);
    List<String> families = new ArrayList<>();
    while (types.find()) {
      families.add(types.group(1));
    }
    assertThat(families).contains("mcp_sidecar_inflight_calls", "mcp_sidecar_sse_streams");
    for (String family : families) {
      assertThat(text).as(family).containsPattern("(?m)^# HELP " + family + " \\S");
    }
    File promtool = onPath("promtool");
    if (promtool != null) {
      Path file = Files.createTempFile("metrics", ".txt");
      Files.writeString(file, text);
      Process check =
          new ProcessBuilder(promtool.getPath(), "check", "metrics")
              .redirectInput(file.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(check.getInputStream().readAllBytes());
      assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
      Files.delete(file);
      List<String> ours =
          output
              .lines()
              .filter(l -> l.startsWith("mcp_sidecar") || l.startsWith("mcp_server"))
              .toList();
      assertThat(ours).as(output).isEmpty();
    }
  }

  private static void flood(Random random) throws IOException {
    int quarter = FLOOD / 4;
    pipelined(
        quarter,
        i -> raw("Z" + Long.toString(random.nextLong() & 0xffffffffL, 36).toUpperCase(), null));
    pipelined(quarter, i -> raw("POST", toolCall("tool-" + random.nextLong())));
    pipelined(
        quarter / 4, i -> raw("POST", toolCall("long-" + random.nextInt() + "x".repeat(8000))));
    pipelined(
        quarter,
        i ->
            raw(
                "POST",
                new JsonObject()
                    .put("jsonrpc", "2.0")
                    .put("id", 1)
                    .put("method", "m/" + random.nextLong())
                    .encode()));
  }

  /** An HTTP/1.1 request as bytes: any method token, with a JSON body when one is given. */
  private static String raw(String method, String body) {
    StringBuilder out =
        new StringBuilder(method)
            .append(" /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .append("Accept: application/json, text/event-stream\r\n");
    if (body == null) {
      return out.append("\r\n").toString();
    }
    return out.append("Content-Type: application/json\r\nContent-Length: ")
        .append(body.getBytes(StandardCharsets.UTF_8).length)
        .append("\r\n\r\n")
        .append(body)
        .toString();
  }

  /**
   * Sends {@code n} requests over one raw socket, 50 pipelined at a time, and reads until every one
   * is answered.
   */
  private static void pipelined(int n, IntFunction<String> next) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", agent.mcpPort())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
      for (int sent = 0; sent < n; sent += 50) {
        StringBuilder batch = new StringBuilder();
        int count = Math.min(50, n - sent);
        for (int i = 0; i < count; i++) {
          batch.append(next.apply(sent + i));
        }
        out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        awaitStatusLines(in, count);
      }
    }
  }

  private static void awaitStatusLines(InputStream in, int count) throws IOException {
    byte[] marker = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    int seen = 0;
    int matched = 0;
    while (seen < count) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + seen + " of " + count + " answers");
      }
      matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
      if (matched == marker.length) {
        seen++;
        matched = 0;
      }
    }
  }

  private static String toolCall(String name) {
    return new JsonObject()
        .put("jsonrpc", "2.0")
        .put("id", 1)
        .put("method", "tools/call")
        .put("params", new JsonObject().put("name", name).put("arguments", new JsonObject()))
        .encode();
  }

  private static String scrape() throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.adminPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The agent's own series: sample lines of mcp_* metrics. */
  private static long series(String text) {
    return text.lines().filter(l -> l.startsWith("mcp_")).count();
  }

  private static Set<String> labelValues(String text, String label) {
    Matcher m = Pattern.compile(label + "=\"([^\"]*)\"").matcher(text);
    Set<String> values = new LinkedHashSet<>();
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }

  private static File onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File file = new File(dir, name);
      if (file.canExecute()) {
        return file;
      }
    }
    return null;
  }
}
