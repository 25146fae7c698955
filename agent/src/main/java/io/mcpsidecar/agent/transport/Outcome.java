package io.mcpsidecar.agent.transport;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * What the pipeline answers a call with: a refusal, an answer of the agent's own, or the server's
 * answer. The listener writes it to the client once the outermost stage has returned it.
 */
public sealed interface Outcome {

  static Outcome refused(Rejection rejection) {
    return new Refused(rejection);
  }

  static Outcome answer(int status, Map<String, String> headers, String body) {
    return new Answered(status, headers, Buffer.buffer(body));
  }

  /**
   * The agent answers the client with a JSON-RPC error; the documented code fixes the HTTP status.
   *
   * @param echoId whether the error carries the id of the call's first request (false: {@code
   *     null}, for a refusal of a whole batch)
   */
  record Refused(Rejection rejection, boolean echoId) implements Outcome {
    public Refused(Rejection rejection) {
      this(rejection, true);
    }
  }

  /**
   * The agent answers the client with a response of its own and a body it holds whole (what it
   * serves itself, such as the protected-resource metadata). Not for refusals: those are {@link
   * Refused}, so that they are JSON-RPC errors with documented codes.
   */
  record Answered(int status, Map<String, String> headers, Buffer body) implements Outcome {
    public Answered {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * The server's answer: its status and headers have arrived, its body (JSON) or event stream has
   * not been read yet and is relayed to the client, unbuffered and with backpressure, once this
   * outcome is written. A stage may change the headers before that; a stage that returns another
   * outcome instead makes the agent drop this answer (and reset the server's response).
   */
  final class Relayed implements Outcome {
    private final int status;
    private final MultiMap headers;
    private final boolean eventStream;
    final UpstreamRelay relay;

    Relayed(int status, MultiMap headers, boolean eventStream, UpstreamRelay relay) {
      this.status = status;
      this.headers = headers;
      this.eventStream = eventStream;
      this.relay = relay;
    }

    public int status() {
      return status;
    }

    /** The server's response headers (hop-by-hop ones are dropped when written); mutable. */
    public MultiMap headers() {
      return headers;
    }

    /** Whether the body is a server-sent event stream (relayed event by event, no deadline). */
    public boolean eventStream() {
      return eventStream;
    }
  }
}
