package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live reload of a ConfigMap-mounted file under load, the way the kubelet updates it. */
class ConfigReloadTest {

  private static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path mount;
  private StubUpstream upstream;
  private Agent agent;
  private int swaps;

  private String config(String origin) {
    return "listen:\n  host: 127.0.0.1\n  port: 0\nadmin:\n  host: 127.0.0.1\n  port: 0\n"
        + "upstream:\n  url: "
        + upstream.url()
        + "\nedge:\n  allowedOrigins: [\""
        + origin
        + "\"]\n";
  }

  /** Writes content the way the kubelet does: new timestamped dir, atomic ..data symlink swap. */
  private void kubeletWrite(String content) throws Exception {
    Path dir = mount.resolve("..2026_11_26_" + (swaps++));
    Files.createDirectory(dir);
    Files.writeString(dir.resolve("config.yaml"), content);
    Path tmp = mount.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, dir.getFileName());
    Path data = mount.resolve("..data");
    Path old = Files.isSymbolicLink(data) ? mount.resolve(Files.readSymbolicLink(data)) : null;
    Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (old != null) {
      Files.delete(old.resolve("config.yaml"));
      Files.delete(old);
    }
    Path file = mount.resolve("config.yaml");
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(file, Path.of("..data", "config.yaml"));
    }
  }

  @BeforeEach
  void start() throws Exception {
    upstream = new StubUpstream();
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
    kubeletWrite(config("https://a.example.com"));
    AgentConfig initial =
        ((ConfigResult.Valid) ConfigLoader.load(mount.resolve("config.yaml"))).config();
    agent =
        StubUpstream.await(
            Agent.start(
                initial,
                new Agent.Reload(
                    mount.resolve("config.yaml"), Duration.ofMillis(20), Duration.ofMillis(20))));
  }

  @AfterEach
  void stop() {
    TestAgents.stop(agent);
    upstream.close();
  }

  private int call(String origin) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"));
    if (origin != null) {
      request.header("Origin", origin);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private double metric(String name) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + agent.adminPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void fiftyKubeletSwapsUnderLoadFailNoCallAndTheLastOneWins() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    List<Integer> failures = new CopyOnWriteArrayList<>();
    List<Thread> clients = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread client =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    int status = call(null);
                    calls.incrementAndGet();
                    if (status != 200) {
                      failures.add(status);
                    }
                  } catch (Exception e) {
                    failures.add(-1);
                  }
                }
              });
      client.start();
      clients.add(client);
    }
    for (int i = 1; i <= 50; i++) {
      kubeletWrite(config(i % 2 == 0 ? "https://a.example.com" : "https://b.example.com"));
      Thread.sleep(60);
    }
    // The 50th config (even) allows a, not b.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> call("https://a.example.com") == 200 && call("https://b.example.com") == 403);
    running.set(false);
    for (Thread client : clients) {
      client.join();
    }
    assertThat(failures).isEmpty();
    assertThat(calls.get()).isGreaterThan(100);
    assertThat(agent.config().snapshot().generation()).isGreaterThan(10);
    assertThat(metric("mcp_sidecar_config_reloads_total{outcome=\"failure\"}")).isZero();
  }

  @Test
  void aBadUpdateChangesNothingCountsAFailureAndTheNextGoodOneApplies() throws Exception {
    long generation = agent.config().snapshot().generation();
    kubeletWrite("edge:\n  maxBodyBytes: many\n  allowedOrigins: [\"https://b.example.com\"]\n");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metric("mcp_sidecar_config_reloads_total{outcome=\"failure\"}") == 1.0);
    assertThat(agent.config().snapshot().generation()).isEqualTo(generation);
    assertThat(call("https://a.example.com")).isEqualTo(200);
    assertThat(call("https://b.example.com")).isEqualTo(403);

    kubeletWrite(config("https://b.example.com"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> agent.config().snapshot().generation() == generation + 1);
    assertThat(call("https://b.example.com")).isEqualTo(200);
    assertThat(metric("mcp_sidecar_config_generation")).isEqualTo(generation + 1.0);
    assertThat(metric("mcp_sidecar_config_reloads_total{outcome=\"success\"}")).isEqualTo(1.0);
  }

  @Test
  void aPlainEditAndAMoveOverTheFileAreSeenToo() throws Exception {
    Path plain = mount.resolve("plain.yaml");
    Files.writeString(plain, config("https://a.example.com"));
    Agent second =
        StubUpstream.await(
            Agent.start(
                ((ConfigResult.Valid) ConfigLoader.load(plain)).config(),
                new Agent.Reload(plain, Duration.ofMillis(20), Duration.ofMillis(20))));
    try {
      Files.writeString(plain, config("https://b.example.com"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> second.config().snapshot().generation() == 2);
      Path staged = mount.resolve("staged.yaml");
      Files.writeString(staged, config("https://c.example.com"));
      Files.move(
          staged, plain, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> second.config().snapshot().generation() == 3);
      assertThat(second.config().get().edge().allowedOrigins())
          .containsExactly("https://c.example.com");
    } finally {
      TestAgents.stop(second);
    }
  }

  @Test
  void aRestartOnlyChangeIsReportedAndTheRestApplies() throws Exception {
    int port = agent.mcpPort();
    kubeletWrite(config("https://b.example.com").replace("port: 0\nadmin", "port: 1234\nadmin"));
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.config().snapshot().generation() == 2);
    assertThat(agent.config().get().listen().port()).isZero();
    assertThat(agent.mcpPort()).isEqualTo(port);
    assertThat(call("https://b.example.com")).isEqualTo(200);
    assertThat(metric("mcp_sidecar_config_restart_pending")).isEqualTo(1.0);
  }
}
