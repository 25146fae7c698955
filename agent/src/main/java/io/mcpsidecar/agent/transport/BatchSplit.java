package io.mcpsidecar.agent.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a batch (2025-03-26) between the agent and the server: the requests a stage answers itself
 * (refused by policy, deferred for approval) are taken out of the body sent upstream, and their
 * answers are added to the server's, so the client gets one well-formed answer to its batch (one
 * JSON array with every response; or, when the server answers with an event stream, the agent's
 * responses as extra events).
 *
 * <p>Use from a stage, before it calls {@code next}:
 *
 * <pre>{@code
 * BatchSplit split = BatchSplit.of(call, Map.of(id, BatchSplit.error(call, id, rejection)));
 * if (split.nothingLeft()) {
 *   return Future.succeededFuture(split.answerAlone());
 * }
 * split.apply(call);
 * return next.proceed();
 * }</pre>
 */
public final class BatchSplit {

  private final Buffer forwarded;
  private final List<String> answers;

  private BatchSplit(Buffer forwarded, List<String> answers) {
    this.forwarded = forwarded;
    this.answers = List.copyOf(answers);
  }

  /**
   * Splits the body the server would be sent ({@link McpCall#upstreamBody()}).
   *
   * @param answered the agent's JSON-RPC response text for each request it answers, by the
   *     request's id as JSON text ({@code 7} or {@code "abc"}, as {@link
   *     io.mcpsidecar.agent.mcp.JsonRpcMessage#id()} spells it)
   */
  public static BatchSplit of(McpCall call, Map<String, String> answered) {
    Map<String, String> byKey = new java.util.HashMap<>();
    answered.forEach((id, answer) -> byKey.put(idKey(id), answer));
    Buffer body = call.upstreamBody();
    JsonArray kept = new JsonArray();
    List<String> answers = new ArrayList<>();
    try {
      for (Object element : new JsonArray(body)) {
        if (element instanceof JsonObject message
            && message.containsKey("method")
            && message.containsKey("id")) {
          String answer = byKey.get(idKey(message.getValue("id")));
          if (answer != null) {
            answers.add(answer);
            continue;
          }
        }
        kept.add(element);
      }
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a batch", e);
    }
    return new BatchSplit(kept.isEmpty() ? null : kept.toBuffer(), answers);
  }

  /**
   * A key equal for equal JSON-RPC ids however they are written: {@code 1000}, {@code 1e3} and
   * {@code 1000.0} are one id, as are a string and its escaped spelling.
   *
   * @param idJson the id as JSON text ({@link io.mcpsidecar.agent.mcp.JsonRpcMessage#id()})
   */
  public static String idKey(String idJson) {
    String plain = plainIdKey(idJson);
    if (plain != null) {
      return plain;
    }
    try {
      return idKey(Json.decodeValue(idJson));
    } catch (DecodeException e) {
      return "?" + idJson;
    }
  }

  /**
   * The key of the ids most clients send, without decoding: a string with no escape ({@code "abc"})
   * or an integer of digits alone (JSON has no leading zeros, so its text is its plain form); null
   * for anything else.
   */
  private static String plainIdKey(String idJson) {
    int n = idJson.length();
    if (n >= 2 && idJson.charAt(0) == '"' && idJson.charAt(n - 1) == '"') {
      for (int i = 1; i < n - 1; i++) {
        char c = idJson.charAt(i);
        if (c == '\\' || c == '"' || c < 0x20) {
          return null;
        }
      }
      return "s" + idJson.substring(1, n - 1);
    }
    int start = n > 1 && idJson.charAt(0) == '-' ? 1 : 0;
    if (start == n || n - start > 18 || (idJson.charAt(start) == '0' && n - start > 1)) {
      return null;
    }
    for (int i = start; i < n; i++) {
      char c = idJson.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    return "-0".equals(idJson) ? "n0" : "n" + idJson;
  }

  /** {@link #idKey(String)} of an id already decoded (a number, a string, or null). */
  public static String idKey(Object id) {
    if (id instanceof Integer || id instanceof Long) {
      return "n" + id;
    }
    if (id instanceof Number number) {
      try {
        return "n"
            + new java.math.BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
      } catch (NumberFormatException e) {
        return "n" + number;
      }
    }
    return id instanceof String text ? "s" + text : "?" + id;
  }

  /** The JSON-RPC error response text of a refusal of the request with id {@code id}. */
  public static String error(McpCall call, String id, Rejection rejection) {
    return Responses.body(call.requestId(), id, rejection);
  }

  /** Whether every message of the batch was answered by the agent. */
  public boolean nothingLeft() {
    return forwarded == null;
  }

  /** The agent's answer when nothing is left for the server: a JSON array of its responses. */
  public Outcome answerAlone() {
    return Outcome.answer(
        200, Map.of("Content-Type", "application/json"), "[" + String.join(",", answers) + "]");
  }

  /** Sends the rest of the batch upstream and adds the agent's responses to the server's answer. */
  public void apply(McpCall call) {
    call.upstreamBody(forwarded);
    call.rewriteAnswer(
        new AnswerRewrite() {
          @Override
          public String rewrite(String json) {
            return json;
          }

          @Override
          public List<String> extraMessages() {
            return answers;
          }
        });
  }

  /** The agent's responses, in the batch's order. */
  public List<String> answers() {
    return answers;
  }
}
