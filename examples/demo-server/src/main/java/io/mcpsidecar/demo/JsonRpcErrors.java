package io.mcpsidecar.demo;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Answers the SDK transport's own HTTP errors with a JSON-RPC error object, as MCP servers do:
 * {@code {"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"..."}}}. The stock servlet
 * transports write the serialised {@code McpError} exception instead, stack trace and class names
 * included, for a request without a session, an unknown session, a wrong {@code Accept} or {@code
 * Content-Type}, an unreadable body; and Jetty's error page for the errors sent with {@code
 * sendError}. The HTTP status stays the transport's (400, 404, 405, ...).
 *
 * <p>Codes: 404 (unknown session) is -32001; a parse error (-32700) or invalid request (-32600)
 * keeps its code; 5xx is -32603; every other transport error is -32000. The {@code id} is the
 * request's when the body is a JSON-RPC request, else null.
 */
final class JsonRpcErrors extends HttpFilter {

  private static final long serialVersionUID = 1L;

  static final int TRANSPORT_ERROR = -32000;

  static final int SESSION_NOT_FOUND = -32001;

  private static final Set<Integer> KEPT = Set.of(-32700, -32600);

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    CachedBody body = CachedBody.of(request);
    var rewriting = new Rewriting(response, body);
    chain.doFilter(body.request(), rewriting);
    rewriting.finish();
  }

  /** The JSON-RPC error for an HTTP error status and the SDK's code and message, if any. */
  static String errorBody(int status, Integer sdkCode, String message, Object id) {
    int code;
    if (status == HttpStatus.NOT_FOUND_404) {
      code = SESSION_NOT_FOUND;
    } else if (status >= 500) {
      code = -32603;
    } else if (sdkCode != null && KEPT.contains(sdkCode)) {
      code = sdkCode;
    } else {
      code = TRANSPORT_ERROR;
    }
    // a map, not the SDK's JSONRPCResponse, which refuses the null id that JSON-RPC prescribes
    // when the request's id could not be read
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
    response.put("id", id);
    response.put("error", error);
    try {
      return mapper().writeValueAsString(response);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a JSON-RPC error", e);
    }
  }

  private static McpJsonMapper mapper() {
    return McpJsonDefaults.getMapper();
  }

  /** The id of the JSON-RPC request in {@code body}, or null (a batch, a notification, no JSON). */
  static Object requestId(String body) {
    if (body.isBlank()) {
      return null;
    }
    try {
      return McpSchema.deserializeJsonRpcMessage(mapper(), body)
              instanceof McpSchema.JSONRPCRequest request
          ? request.id()
          : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Lets every successful response through untouched (SSE streams included), and turns an error
   * body or {@code sendError} into a JSON-RPC error. An error body is held until the transport
   * flushes it, then rewritten whole.
   */
  private static final class Rewriting extends HttpServletResponseWrapper {

    private final CachedBody body;

    private ErrorWriter errorWriter;

    Rewriting(HttpServletResponse response, CachedBody body) {
      super(response);
      this.body = body;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      if (getStatus() < 400) {
        return super.getWriter();
      }
      if (errorWriter == null) {
        errorWriter = new ErrorWriter(this);
      }
      return errorWriter;
    }

    @Override
    public void sendError(int status, String message) throws IOException {
      if (isCommitted()) {
        super.sendError(status, message);
        return;
      }
      write(status, errorBody(status, null, message, body.id()));
    }

    @Override
    public void sendError(int status) throws IOException {
      String reason = HttpStatus.getMessage(status);
      sendError(status, reason == null ? "HTTP " + status : reason);
    }

    /** Writes an error body the transport left unflushed. */
    void finish() throws IOException {
      if (errorWriter != null) {
        errorWriter.flush();
      }
    }

    void rewrite(String sdkBody) throws IOException {
      Integer code = null;
      String message = sdkBody.isBlank() ? HttpStatus.getMessage(getStatus()) : sdkBody;
      try {
        Map<?, ?> error = mapper().readValue(sdkBody, Map.class);
        Object inner = error.get("jsonRpcError");
        Map<?, ?> source = inner instanceof Map<?, ?> m ? m : error;
        if (source.get("code") instanceof Number n) {
          code = n.intValue();
        }
        if (source.get("message") instanceof String text) {
          message = text;
        }
      } catch (IOException | RuntimeException e) {
        // not the SDK's JSON: its text is the message
      }
      write(getStatus(), errorBody(getStatus(), code, message, body.id()));
    }

    private void write(int status, String json) throws IOException {
      setStatus(status);
      setContentType("application/json");
      setCharacterEncoding("UTF-8");
      PrintWriter out = super.getWriter();
      out.write(json);
      out.flush();
    }
  }

  /** Holds what the transport writes for an error, and hands it over once, when flushed. */
  private static final class ErrorWriter extends PrintWriter {

    private final Rewriting response;

    private final StringWriter held;

    private boolean done;

    ErrorWriter(Rewriting response) {
      this(response, new StringWriter());
    }

    private ErrorWriter(Rewriting response, StringWriter held) {
      super(held);
      this.response = response;
      this.held = held;
    }

    @Override
    public void flush() {
      super.flush();
      if (done) {
        return;
      }
      done = true;
      try {
        response.rewrite(held.toString());
      } catch (IOException e) {
        setError();
      }
    }

    @Override
    public void close() {
      flush();
      super.close();
    }
  }
}
