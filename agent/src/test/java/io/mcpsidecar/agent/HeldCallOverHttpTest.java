package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A held call on the wire: the event stream opens before the server's answer exists, carries
 * progress notifications naming the approval, and then the server's JSON answer as one event.
 */
class HeldCallOverHttpTest {

  private static final String TOKEN = "wire-t0ken";
  private static final String ANSWER =
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}}";
  private final StubUpstream upstream = new StubUpstream();
  private final HttpClient http = HttpClient.newHttpClient();
  private Agent agent;

  @BeforeEach
  void start() throws Exception {
    upstream.handle(
        req -> req.response().putHeader("Content-Type", "application/json").end(ANSWER));
    agent =
        Agent.builder(
                TestAgents.configWithAdmin(
                    upstream.url(), "  token: " + TOKEN + "\n", ApprovalsThroughAgentTest.POLICY))
            .start()
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  @Test
  void theServersJsonAnswerBecomesOneEventAfterTheProgressNotifications() throws Exception {
    String call =
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"add\","
            + "\"arguments\":{\"a\":250,\"b\":1},\"_meta\":{\"progressToken\":\"p-7\"}}}";
    HttpResponse<Stream<String>> res =
        http.sendAsync(
                HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(call))
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .get(10, TimeUnit.SECONDS);
    // The head arrives at once, before anyone decided.
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    BlockingQueue<String> data = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () ->
                res.body()
                    .filter(line -> line.startsWith("data: "))
                    .forEach(line -> data.add(line.substring(6))));
    reader.start();

    JsonObject progress = new JsonObject(data.poll(10, TimeUnit.SECONDS));
    assertThat(progress.getString("method")).isEqualTo("notifications/progress");
    assertThat(progress.getJsonObject("params").getString("progressToken")).isEqualTo("p-7");
    assertThat(upstream.received()).as("the server has not seen the call").isEmpty();

    HttpResponse<String> list =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.adminPort() + "/approvals"))
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String id =
        new JsonObject(list.body()).getJsonArray("approvals").getJsonObject(0).getString("id");
    assertThat(progress.getJsonObject("params").getString("message")).contains(id);
    http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + agent.adminPort() + "/approvals/" + id + "/approve"))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString("{\"approver\":\"bob\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    List<String> rest = new ArrayList<>();
    String line;
    while ((line = data.poll(10, TimeUnit.SECONDS)) != null) {
      rest.add(line);
      if (line.contains("\"result\"")) {
        break;
      }
    }
    assertThat(rest).last().isEqualTo(ANSWER);
    reader.join(10_000);
    assertThat(reader.isAlive()).as("the stream ended after the answer").isFalse();
    assertThat(upstream.received()).hasSize(1);
  }
}
