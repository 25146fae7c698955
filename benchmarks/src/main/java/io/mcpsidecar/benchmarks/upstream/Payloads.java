package io.mcpsidecar.benchmarks.upstream;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The MCP messages of the benchmark, shared by the client and the static server so both agree on
 * sizes: a 1 KiB {@code tools/call} the way an LLM client sends one (arguments, {@code _meta} with
 * a progress token and a W3C traceparent), and its fixed result.
 */
public final class Payloads {

  /** The protocol version the benchmark client speaks: sessions, no batches. */
  public static final String PROTOCOL_VERSION = "2025-11-25";

  public static final String ACCEPT = "application/json, text/event-stream";

  /**
   * Every benchmark request carries this API key, so the agent with identity on can authenticate it
   * (configs/all-features.yaml holds its SHA-256); other targets pass it on unread.
   */
  public static final String API_KEY_HEADER = "X-API-Key";

  public static final String API_KEY = "mcp-sidecar-bench";

  /** The size the tools/call body is padded to (with a 7-digit id). */
  public static final int CALL_BYTES = 1024;

  private static final String MESSAGE_START = "{\"jsonrpc\":\"2.0\",\"id\":";
  private static final String CALL_TAIL_TEMPLATE =
      ",\"method\":\"tools/call\",\"params\":{\"name\":\"search_documents\",\"arguments\":{"
          + "\"query\":\"quarterly revenue by region for the last three fiscal years\","
          + "\"filters\":{\"department\":[\"finance\",\"sales\"],\"from\":\"2023-01-01\","
          + "\"to\":\"2025-12-31\",\"confidential\":false},\"limit\":25,\"cursor\":null,"
          + "\"notes\":\"%s\"},\"_meta\":{\"progressToken\":\"bench-progress-token\"%s}}}";

  /**
   * The sampled W3C trace context every call carries, unless {@code -Dbench.traceparent=false}:
   * then calls come without one, as from a client that does not trace, and a parent-based sampler
   * decides by its ratio alone (the padding keeps the body at {@link #CALL_BYTES}).
   */
  private static final String TRACEPARENT =
      Boolean.parseBoolean(System.getProperty("bench.traceparent", "true"))
          ? ",\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\""
          : "";

  private static final byte[] CALL_TAIL = padded();

  private static final String RESULT_TEXT =
      "Found 25 documents. Top hit: Q3 revenue grew 12% in EMEA and 9% in APAC, driven by new"
          + " enterprise contracts; North America was flat. The remaining hits cover regional"
          + " breakdowns, currency effects and the restated 2023 figures that the finance team"
          + " published after the audit. Ask for a document by its id to read it in full.";

  private static final byte[] MESSAGE_HEAD = MESSAGE_START.getBytes(StandardCharsets.UTF_8);
  private static final byte[] RESULT_TAIL =
      (",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""
              + RESULT_TEXT
              + "\"}],\"isError\":false}}")
          .getBytes(StandardCharsets.UTF_8);

  private Payloads() {}

  private static byte[] padded() {
    int fixed =
        MESSAGE_START.length()
            + 7 // the id's digits
            + String.format(CALL_TAIL_TEMPLATE, "", TRACEPARENT).length();
    String notes = "x".repeat(Math.max(0, CALL_BYTES - fixed));
    return String.format(CALL_TAIL_TEMPLATE, notes, TRACEPARENT).getBytes(StandardCharsets.UTF_8);
  }

  /** A tools/call request with the given id; 1024 bytes for a 7-digit id. */
  public static Buffer toolsCall(long id) {
    byte[] idBytes = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
    return Buffer.buffer(MESSAGE_HEAD.length + idBytes.length + CALL_TAIL.length)
        .appendBytes(MESSAGE_HEAD)
        .appendBytes(idBytes)
        .appendBytes(CALL_TAIL);
  }

  /** The same request as text, for wrk's Lua script. */
  public static String toolsCallText(long id) {
    return toolsCall(id).toString(StandardCharsets.UTF_8);
  }

  /** The result the static server answers every request with, under the request's id. */
  public static Buffer result(String idJson) {
    byte[] idBytes = idJson.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(MESSAGE_HEAD.length + idBytes.length + RESULT_TAIL.length)
        .appendBytes(MESSAGE_HEAD)
        .appendBytes(idBytes)
        .appendBytes(RESULT_TAIL);
  }

  public static Buffer initialize(long id) {
    return Buffer.buffer(
        "{\"jsonrpc\":\"2.0\",\"id\":"
            + id
            + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
            + PROTOCOL_VERSION
            + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"mcp-sidecar-bench\","
            + "\"version\":\"1.0\"}}}");
  }

  public static Buffer initializeResult(String idJson) {
    return Buffer.buffer(
        "{\"jsonrpc\":\"2.0\",\"id\":"
            + idJson
            + ",\"result\":{\"protocolVersion\":\""
            + PROTOCOL_VERSION
            + "\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"static-upstream\","
            + "\"version\":\"1.0\"}}}");
  }

  public static Buffer initialized() {
    return Buffer.buffer("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
  }

  /** One server-sent event carrying a progress notification, as servers stream them. */
  public static String progressEvent(long n, long total) {
    return "id: "
        + n
        + "\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
        + "\"params\":{\"progressToken\":\"bench-progress-token\",\"progress\":"
        + n
        + ",\"total\":"
        + total
        + ",\"message\":\"step "
        + n
        + "\"}}\n\n";
  }

  /**
   * The priming event a 2025-11-25 server sends first on a stream: an event id and an empty data
   * field, so the client can resume from it.
   */
  public static final String PRIMING_EVENT = "id: 0\ndata: \n\n";
}
