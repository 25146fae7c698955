package io.mcpsidecar.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The MCP server the agent fronts, and how calls to it are bounded: deadlines, the circuit breaker,
 * the bulkhead, list fallbacks and retries (docs/resilience.md).
 *
 * @param url absolute http(s) URL of the server's MCP endpoint; requests keep their own path and go
 *     to this URL's scheme, host and port
 * @param connectTimeout how long to wait for a TCP connection to the server
 * @param responseTimeout how long a non-streaming response may take, from request sent to last
 *     byte; streams (SSE) are exempt once their headers arrive. The deadline of calls no entry of
 *     {@code timeouts} matches
 * @param maxConnections the size of the pool for calls towards the server
 * @param streamConnections the size of the separate pool for standalone GET streams
 * @param healthInterval how often readiness probes the server
 * @param timeouts deadlines by method and by tool
 * @param circuitBreaker the breaker around the server
 * @param bulkhead the bound on calls in flight and its queue
 * @param fallback stale list answers while the circuit is open
 * @param retries retries of idempotent calls on connect failures, and their budget
 */
public record UpstreamConfig(
    URI url,
    Duration connectTimeout,
    Duration responseTimeout,
    int maxConnections,
    int streamConnections,
    Duration healthInterval,
    Timeouts timeouts,
    CircuitBreaker circuitBreaker,
    Bulkhead bulkhead,
    Fallback fallback,
    Retries retries) {

  /** The server and its pools, with every resilience setting at its default. */
  public UpstreamConfig(
      URI url,
      Duration connectTimeout,
      Duration responseTimeout,
      int maxConnections,
      int streamConnections,
      Duration healthInterval) {
    this(
        url,
        connectTimeout,
        responseTimeout,
        maxConnections,
        streamConnections,
        healthInterval,
        Timeouts.NONE,
        CircuitBreaker.OFF,
        Bulkhead.OFF,
        Fallback.OFF,
        Retries.DEFAULT);
  }

  /** The same server and pools with other resilience settings. */
  public UpstreamConfig withResilience(
      Timeouts timeouts,
      CircuitBreaker circuitBreaker,
      Bulkhead bulkhead,
      Fallback fallback,
      Retries retries) {
    return new UpstreamConfig(
        url,
        connectTimeout,
        responseTimeout,
        maxConnections,
        streamConnections,
        healthInterval,
        timeouts,
        circuitBreaker,
        bulkhead,
        fallback,
        retries);
  }

  /**
   * Deadlines by method and tool; calls neither matches get {@code responseTimeout}.
   *
   * @param methods by JSON-RPC method glob, first match wins
   * @param tools by tool name glob for {@code tools/call}, first match wins, before methods
   */
  public record Timeouts(List<TimeoutRule> methods, List<TimeoutRule> tools) {
    public static final Timeouts NONE = new Timeouts(List.of(), List.of());

    public Timeouts {
      methods = List.copyOf(methods);
      tools = List.copyOf(tools);
    }
  }

  /** A deadline for the names {@code match} matches. */
  public record TimeoutRule(Glob match, Duration timeout) {}

  /**
   * The circuit breaker's settings (Resilience4j, count-based sliding window).
   *
   * @param failureRate percent
   * @param slowCall what a slow call is and the percentage that opens the circuit
   */
  public record CircuitBreaker(
      boolean enabled,
      int window,
      int minimumCalls,
      int failureRate,
      SlowCall slowCall,
      Duration openFor,
      int halfOpenCalls) {
    public static final CircuitBreaker OFF =
        new CircuitBreaker(
            false,
            20,
            10,
            50,
            new SlowCall(Duration.ofSeconds(60), 100),
            Duration.ofSeconds(30),
            3);
  }

  /**
   * A call longer than {@code duration} is slow; {@code rate} percent of them opens the circuit.
   */
  public record SlowCall(Duration duration, int rate) {}

  /**
   * The bulkhead.
   *
   * @param maxInFlight calls in flight at once; 0: unbounded
   * @param queue calls that may wait for a place
   * @param queueTimeout how long one may wait
   */
  public record Bulkhead(int maxInFlight, int queue, Duration queueTimeout) {
    public static final Bulkhead OFF = new Bulkhead(0, 64, Duration.ofSeconds(1));
  }

  /**
   * Stale answers while the circuit is open.
   *
   * @param lists whether list methods are answered from their last good answer
   * @param maxBytes bytes of kept answers over all tenants
   */
  public record Fallback(boolean lists, long maxBytes) {
    public static final Fallback OFF = new Fallback(false, 16L * 1024 * 1024);
  }

  /**
   * Retries of idempotent calls when no connection could be had.
   *
   * @param budgetPercent retries as a percentage of calls over the window
   * @param minPerSecond retries allowed per second whatever the ratio
   * @param budgetWindow the sliding window of the budget
   */
  public record Retries(
      boolean enabled, int budgetPercent, int minPerSecond, Duration budgetWindow) {
    public static final Retries DEFAULT = new Retries(true, 20, 10, Duration.ofSeconds(10));
  }
}
