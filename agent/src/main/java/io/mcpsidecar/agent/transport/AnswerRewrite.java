package io.mcpsidecar.agent.transport;

import java.util.List;

/**
 * Changes the server's answer to a call before the client sees it: a stage that must filter what
 * the server answers (the policy hides tools from {@code tools/list}) or add answers of its own
 * (the refused requests of a batch whose others were forwarded) registers one with {@link
 * McpCall#rewriteAnswer} before it calls its {@code next}.
 *
 * <p>A JSON answer of a call with a rewrite is held whole (up to {@link
 * JsonRelay#MAX_OBSERVED_JSON_BYTES}), rewritten, and written with its new {@code Content-Length};
 * a larger one is not relayed at all (fail closed: the client gets {@code -32007} with {@code
 * data.reason = "answer_too_large"}). In an event stream each event whose data is JSON is rewritten
 * on its own and the rest of the stream stays unbuffered; an event too large to hold ({@link
 * SseRelay#MAX_OBSERVED_EVENT_BYTES}) ends the stream instead of passing unrewritten. Calls without
 * a rewrite are relayed byte for byte as before.
 */
public interface AnswerRewrite {

  /**
   * The replacement of one JSON payload of the answer (a JSON body, or the data of one event),
   * which may be one JSON-RPC message or a batch of them; {@code json} itself to keep it.
   */
  String rewrite(String json);

  /**
   * JSON-RPC messages of the agent's own to add to the answer, each as JSON text: appended to the
   * JSON answer (which becomes an array; an empty 202 answer becomes a 200 with just these), or
   * written as events at the start of an event stream.
   */
  default List<String> extraMessages() {
    return List.of();
  }
}
