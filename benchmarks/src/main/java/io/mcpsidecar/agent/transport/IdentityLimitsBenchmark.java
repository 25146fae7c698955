package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.agent.identity.IdentityStage;
import io.mcpsidecar.agent.limits.LimitStage;
import io.mcpsidecar.agent.limits.RedisLink;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.McpEra;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.mcpsidecar.benchmarks.upstream.Payloads;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.embedded.RedisServer;

/**
 * What identity and limits add to every counted call: the two interceptors the agent runs before a
 * {@code tools/call} goes upstream, measured through their {@code intercept} (and the limits'
 * {@code onEnd}, which returns the concurrency permit) on a real call, with the limits of {@code
 * benchmarks/configs/all-features.yaml} (a request rate, a per-tool rate, day and month quotas,
 * concurrency and the global ceiling; far above what is sent, so nothing is refused).
 *
 * <p>Each operation builds a fresh call (the identity stage strips the credential it used from the
 * call's headers); {@link #newCall} measures that alone, to subtract. The JWT is verified against a
 * JWKS served over HTTP on loopback; after the first call it is a cache hit, as for a client that
 * reuses its token. The Redis row runs against a real redis-server (embedded-redis) on loopback and
 * waits for its answer: a round trip per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IdentityLimitsBenchmark {

  private static final String API_KEY = "mcp-sidecar-bench";
  private static final String API_KEY_SHA256 =
      "ee1ff82aa31ac4f6336c99fb41f6ad5f35b2cb65891afb6f6a64a6c363904501";
  private static final String ISSUER = "https://login.example.com/";
  private static final String AUDIENCE = "https://mcp.example.com/mcp";

  private static final String LIMITS =
      """
      limits:
        backend: %s
        redis:
          url: redis://127.0.0.1:%d
          timeout: 1s
        requests: {limit: 1000000000, interval: 1m, burst: 1000000000}
        tools:
          - match: search_*
            limit: 1000000000
            interval: 1m
            burst: 1000000000
        quotas: {day: 1000000000000, month: 1000000000000}
        concurrency: 100000
        global: {limit: 1000000000, interval: 1s, burst: 1000000000}
      """;

  private Vertx vertx;
  private HttpServer jwksServer;
  private RedisServer redis;
  private List<JsonRpcMessage> messages;
  private MultiMap apiKeyHeaders;
  private MultiMap bearerHeaders;
  private AgentConfig apiKeyConfig;
  private AgentConfig jwtConfig;
  private AgentConfig redisConfig;
  private static final Principal BENCH =
      new Principal("bench", "bench", Principal.Credential.API_KEY, null);
  private IdentityStage identity;
  private LimitStage localLimits;
  private LimitStage redisLimits;
  private RedisLink redisLink;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    KeyPair keys = rsaKeys();
    String jwks = jwks("bench-1", (RSAPublicKey) keys.getPublic());
    jwksServer =
        vertx
            .createHttpServer()
            .requestHandler(
                r -> r.response().putHeader("Content-Type", "application/json").end(jwks))
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    int redisPort = freePort();
    redis =
        RedisServer.newRedisServer()
            .port(redisPort)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .build();
    redis.start();

    String upstream = "upstream:\n  url: http://127.0.0.1:8080/mcp\n";
    apiKeyConfig =
        config(
            upstream
                + "identity:\n  apiKeys:\n    - key: sha256:"
                + API_KEY_SHA256
                + "\n      tenant: bench\n      subject: load-generator\n"
                + "  anonymous:\n    allowed: false\n"
                + LIMITS.formatted("local", redisPort));
    jwtConfig =
        config(
            upstream
                + "identity:\n  jwt:\n    enabled: true\n    jwksUrl: http://127.0.0.1:"
                + jwksServer.actualPort()
                + "/jwks\n    issuer: "
                + ISSUER
                + "\n    audiences: ["
                + AUDIENCE
                + "]\n  anonymous:\n    allowed: false\n");
    redisConfig = config(upstream + LIMITS.formatted("redis", redisPort));

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AuditSink audit = new AuditSink(registry);
    identity =
        new IdentityStage(
            IdentityStage.jwksClient(vertx), registry, audit, Clock.systemUTC(), true);
    localLimits = LimitStage.create(() -> apiKeyConfig, registry, audit, Clock.systemUTC(), null);
    redisLink = RedisLink.openIfUsed(redisConfig.limits(), false);
    redisLimits =
        LimitStage.create(() -> redisConfig, registry, audit, Clock.systemUTC(), redisLink);

    byte[] body = Payloads.toolsCallText(1_234_567).getBytes(StandardCharsets.UTF_8);
    messages = ((ParseResult.Parsed) new JsonRpcParser(100).parse(body)).messages();
    // One session per subject: the agent binds a session to the subject that opened it.
    apiKeyHeaders = headers("2f0c3a4e-8d1b-4f5e-9a7c-6b2d1e0f3a4b").add("X-API-Key", API_KEY);
    bearerHeaders =
        headers("9c4d2e1f-0a3b-4c5d-8e7f-1a2b3c4d5e6f")
            .add("Authorization", "Bearer " + token(keys, "bench-1"));

    try {
      checkEveryPathProceeds();
    } catch (Exception | Error e) {
      tearDown();
      throw e;
    }
  }

  /** Every path must let the call through: a refused call would measure the rejection instead. */
  private void checkEveryPathProceeds() throws Exception {
    McpCall first = call(bearerHeaders, jwtConfig);
    Verdict verdict =
        identity
            .intercept(first)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    expectProceed("JWT identity", verdict);
    expectProceed("API key identity", apiKeyIdentity());
    expectProceed("JWT identity (cached)", jwtIdentityCached());
    expectProceed("local limits", localLimits());
    expectProceed("API key identity and local limits", apiKeyIdentityAndLocalLimits());
    expectProceed("Redis limits", redisLimits());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    localLimits.close();
    redisLimits.close();
    redisLink.close();
    redis.stop();
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  /** Building the call each operation starts from: subtract it from the rows below. */
  @Benchmark
  public McpCall newCall() {
    return call(apiKeyHeaders, apiKeyConfig);
  }

  /** An API key: SHA-256 of the key, one table lookup, the session check. */
  @Benchmark
  public Verdict apiKeyIdentity() {
    return now(identity.intercept(call(apiKeyHeaders, apiKeyConfig)));
  }

  /** An RS256 JWT this agent has verified before under the current key set. */
  @Benchmark
  public Verdict jwtIdentityCached() {
    return now(identity.intercept(call(bearerHeaders, jwtConfig)));
  }

  /** Five limits decided in memory, and the concurrency permit returned at the end. */
  @Benchmark
  public Verdict localLimits() {
    McpCall call = call(apiKeyHeaders, apiKeyConfig);
    call.principal(BENCH);
    Verdict verdict = now(localLimits.intercept(call));
    localLimits.onEnd(call);
    return verdict;
  }

  /** What agent-all runs per tools/call: identity by API key, then the local limits. */
  @Benchmark
  public Verdict apiKeyIdentityAndLocalLimits() {
    McpCall call = call(apiKeyHeaders, apiKeyConfig);
    Verdict verdict = now(identity.intercept(call));
    if (verdict == Verdict.PROCEED) {
      verdict = now(localLimits.intercept(call));
      localLimits.onEnd(call);
    }
    return verdict;
  }

  /** The same limits shared through Redis: one round trip on loopback per call, awaited. */
  @Benchmark
  public Verdict redisLimits() throws Exception {
    McpCall call = call(apiKeyHeaders, redisConfig);
    call.principal(BENCH);
    Verdict verdict =
        redisLimits
            .intercept(call)
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    redisLimits.onEnd(call);
    return verdict;
  }

  private McpCall call(MultiMap template, AgentConfig config) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(template);
    return McpCall.builder("4bf92f3577b34da6a3ce929d0e0e4736", config)
        .headers(headers)
        .era(McpEra.V2025_11_25)
        .messages(messages, false)
        .build();
  }

  /** The verdict of a stage that decides without waiting (in memory, or a cache hit). */
  private static Verdict now(Future<Verdict> verdict) {
    if (!verdict.isComplete()) {
      throw new IllegalStateException("the stage waited: this path should decide at once");
    }
    return verdict.result();
  }

  private static void expectProceed(String what, Verdict verdict) {
    if (verdict != Verdict.PROCEED) {
      throw new IllegalStateException(what + " did not let the call through: " + verdict);
    }
  }

  private static MultiMap headers(String sessionId) {
    return MultiMap.caseInsensitiveMultiMap()
        .add("Host", "mcp.example.internal:9000")
        .add("Content-Type", "application/json")
        .add("Accept", Payloads.ACCEPT)
        .add("Mcp-Session-Id", sessionId)
        .add("MCP-Protocol-Version", Payloads.PROTOCOL_VERSION);
  }

  private static AgentConfig config(String yaml) {
    ConfigResult result = ConfigLoader.parse(yaml);
    if (result instanceof ConfigResult.Valid valid) {
      return valid.config();
    }
    throw new IllegalStateException("benchmark config is invalid: " + result);
  }

  private static KeyPair rsaKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private static String jwks(String kid, RSAPublicKey key) {
    return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\""
        + kid
        + "\",\"n\":\""
        + B64.encodeToString(unsigned(key.getModulus()))
        + "\",\"e\":\""
        + B64.encodeToString(unsigned(key.getPublicExponent()))
        + "\"}]}";
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static String token(KeyPair keys, String kid) throws GeneralSecurityException {
    long now = System.currentTimeMillis() / 1000;
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
    String claims =
        "{\"iss\":\""
            + ISSUER
            + "\",\"aud\":\""
            + AUDIENCE
            + "\",\"sub\":\"user-42\",\"tenant\":\"bench\",\"iat\":"
            + now
            + ",\"exp\":"
            + (now + 24 * 3600)
            + "}";
    String signingInput =
        B64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(keys.getPrivate());
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64.encodeToString(signer.sign());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
