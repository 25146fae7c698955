package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MCP server killed and restarted while calls keep coming: an exact account of every call sent.
 * Each one is answered (a result, or a documented error with its id), none waits past its deadline,
 * the circuit opens while the server is gone and closes through its half-open trials once it is
 * back.
 */
class ServerOutageUnderLoadTest {

  private static final Set<Integer> DOCUMENTED = Set.of(-32000, -32001, -32016, -32019);

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Agent agent;
  private volatile HttpServer server;

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    StubUpstream.await(vertx.close());
  }

  private HttpServer serve(int port) {
    return StubUpstream.await(
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              Object id = new JsonObject(body.toString()).getValue("id");
                              vertx.setTimer(
                                  5,
                                  t ->
                                      req.response()
                                          .putHeader("Content-Type", "application/json")
                                          .end(
                                              "{\"jsonrpc\":\"2.0\",\"id\":"
                                                  + id
                                                  + ",\"result\":{\"content\":[]}}"));
                            }))
            .listen(port, "127.0.0.1"));
  }

  /** What one call got. */
  record Got(int id, int status, Integer code, Object echoedId, long millis, Throwable failure) {}

  @Test
  void everyCallIsAnsweredWhileTheServerIsKilledAndRestarted() throws Exception {
    server = serve(0);
    int port = server.actualPort();
    agent =
        TestAgents.start(
            TestAgents.config(
                "http://127.0.0.1:" + port + "/mcp",
                """
                  connectTimeout: 1s
                  responseTimeout: 2s
                  circuitBreaker: {enabled: true, window: 10, minimumCalls: 5, failureRate: 50,
                                   openFor: 500ms, halfOpenCalls: 2}
                  bulkhead: {maxInFlight: 64, queue: 64, queueTimeout: 1s}
                """));
    ConcurrentLinkedQueue<Got> account = new ConcurrentLinkedQueue<>();
    Semaphore concurrency = new Semaphore(8);
    AtomicInteger ids = new AtomicInteger();
    long start = System.nanoTime();
    boolean killed = false;
    boolean restarted = false;
    List<CompletableFuture<Void>> sent = new java.util.ArrayList<>();
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
      long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (!killed && at > 1_000) {
        StubUpstream.await(server.close()); // the server goes away, connections and all
        killed = true;
      }
      if (!restarted && at > 2_500) {
        server = serve(port);
        restarted = true;
      }
      concurrency.acquire();
      sent.add(call(ids.incrementAndGet(), account).whenComplete((v, e) -> concurrency.release()));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    Map<String, Integer> byOutcome = new TreeMap<>();
    for (Got got : account) {
      byOutcome.merge(got.code() == null ? "result" : String.valueOf(got.code()), 1, Integer::sum);
    }
    System.out.println(
        "outage account: sent=" + ids.get() + " answered=" + account.size() + " " + byOutcome);

    assertThat(account).hasSize(ids.get());
    assertThat(account).allSatisfy(got -> assertThat(got.failure()).isNull());
    assertThat(account)
        .allSatisfy(
            got -> {
              assertThat(got.echoedId()).isEqualTo(got.id());
              assertThat(got.code() == null || DOCUMENTED.contains(got.code()))
                  .as("call %d: %s", got.id(), got)
                  .isTrue();
              // responseTimeout 2s, connectTimeout 1s, queueTimeout 1s, one retry: 5s at most
              assertThat(got.millis()).as("call %d", got.id()).isLessThan(6_000);
            });
    assertThat(byOutcome).containsKeys("result", "-32016");
    assertThat(RawHttp.metric(agent, "mcp_sidecar_upstream_circuit_transitions_total{to=\"open\"}"))
        .isGreaterThanOrEqualTo(1.0);

    // Back for good: trial calls close the circuit.
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              call(ids.incrementAndGet(), new ConcurrentLinkedQueue<>()).get();
              return RawHttp.metric(agent, "mcp_sidecar_upstream_circuit_state") == 0.0;
            });
  }

  private CompletableFuture<Void> call(int id, ConcurrentLinkedQueue<Got> account) {
    String method = id % 2 == 0 ? "tools/list" : "tools/call";
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":"
            + id
            + ",\"method\":\""
            + method
            + "\",\"params\":{\"name\":\"echo\"}}";
    long began = System.nanoTime();
    return http.sendAsync(
            HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, failure) -> {
              long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
              if (failure != null) {
                account.add(new Got(id, -1, null, null, millis, failure));
                return null;
              }
              JsonObject answer;
              try {
                answer = new JsonObject(response.body());
              } catch (RuntimeException e) {
                account.add(new Got(id, response.statusCode(), null, null, millis, e));
                return null;
              }
              JsonObject error = answer.getJsonObject("error");
              account.add(
                  new Got(
                      id,
                      response.statusCode(),
                      error == null ? null : error.getInteger("code"),
                      answer.getValue("id"),
                      millis,
                      null));
              return null;
            });
  }
}
