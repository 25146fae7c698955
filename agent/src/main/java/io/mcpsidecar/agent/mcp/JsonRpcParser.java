package io.mcpsidecar.agent.mcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming, allocation-light reader of JSON-RPC 2.0 messages. It never builds a tree: it reads
 * the few members a proxy needs (id, method, target, {@code _meta}, error code, {@code isError})
 * and skips everything else, so its cost grows with the body but its memory does not.
 */
public final class JsonRpcParser {

  /** Longest string kept from a message; longer values are cut. */
  public static final int MAX_FIELD_CHARS = 8192;

  static final String META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(128).build())
          .build();

  private final int maxBatchSize;

  public JsonRpcParser(int maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  public ParseResult parse(byte[] body) {
    return parse(body, 0, body.length);
  }

  public ParseResult parse(byte[] body, int offset, int length) {
    try (JsonParser p = FACTORY.createParser(body, offset, length)) {
      JsonToken first = p.nextToken();
      ParseResult result;
      if (first == JsonToken.START_OBJECT) {
        result = single(p);
      } else if (first == JsonToken.START_ARRAY) {
        result = batch(p);
      } else if (first == null) {
        return new ParseResult.Malformed("empty body");
      } else {
        p.skipChildren();
        result = new ParseResult.Invalid("a JSON-RPC message must be an object or an array", null);
      }
      if (p.nextToken() != null) {
        return new ParseResult.Malformed("unexpected content after the JSON value");
      }
      return result;
    } catch (JsonProcessingException e) {
      return new ParseResult.Malformed(e.getOriginalMessage());
    } catch (IOException e) {
      return new ParseResult.Malformed(e.getMessage());
    }
  }

  private ParseResult single(JsonParser p) throws IOException {
    MessageReader reader = new MessageReader();
    reader.read(p);
    String problem = reader.problem();
    if (problem != null) {
      return new ParseResult.Invalid(problem, reader.id);
    }
    return new ParseResult.Parsed(List.of(reader.toMessage()), false);
  }

  private ParseResult batch(JsonParser p) throws IOException {
    List<JsonRpcMessage> messages = new ArrayList<>();
    String problem = null;
    String problemId = null;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        problem = problem == null ? "every batch element must be an object" : problem;
        continue;
      }
      MessageReader reader = new MessageReader();
      reader.read(p);
      if (problem == null && reader.problem() != null) {
        problem = reader.problem();
        problemId = reader.id;
      }
      if (messages.size() < maxBatchSize + 1) {
        messages.add(reader.toMessage());
      }
    }
    if (problem != null) {
      return new ParseResult.Invalid(problem, problemId);
    }
    if (messages.isEmpty()) {
      return new ParseResult.Invalid("an empty batch is not a valid request", null);
    }
    if (messages.size() > maxBatchSize) {
      return new ParseResult.Invalid("batch larger than " + maxBatchSize + " messages", null);
    }
    return new ParseResult.Parsed(messages, true);
  }

  /** Reads the members of one message object; the parser stands on its START_OBJECT. */
  private static final class MessageReader {
    String jsonrpc;
    boolean hasId;
    boolean idNull;
    boolean idWrongType;
    String id;
    String method;
    boolean methodWrongType;
    boolean hasResult;
    boolean hasError;
    Integer errorCode;
    boolean toolError;
    String name;
    String uri;
    String protocolVersionParam;
    String metaProtocolVersion;
    String metaTraceparent;

    void read(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "jsonrpc" -> jsonrpc = value == JsonToken.VALUE_STRING ? p.getText() : "";
          case "id" -> readId(p, value);
          case "method" -> {
            if (value == JsonToken.VALUE_STRING) {
              method = cap(p.getText());
            } else {
              methodWrongType = true;
              p.skipChildren();
            }
          }
          case "params" -> readParams(p, value);
          case "result" -> {
            hasResult = true;
            readResult(p, value);
          }
          case "error" -> {
            hasError = true;
            readError(p, value);
          }
          default -> p.skipChildren();
        }
      }
    }

    private void readId(JsonParser p, JsonToken value) throws IOException {
      hasId = true;
      switch (value) {
        case VALUE_NULL -> idNull = true;
        case VALUE_STRING -> id = JsonText.quote(cap(p.getText()));
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> id = cap(p.getText());
        default -> {
          idWrongType = true;
          p.skipChildren();
        }
      }
    }

    private void readParams(JsonParser p, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "name" -> name = text(p, v);
          case "uri" -> uri = text(p, v);
          case "protocolVersion" -> protocolVersionParam = text(p, v);
          case "_meta" -> readMeta(p, v);
          default -> p.skipChildren();
        }
      }
    }

    private void readMeta(JsonParser p, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case META_PROTOCOL_VERSION -> metaProtocolVersion = text(p, v);
          case "traceparent" -> metaTraceparent = text(p, v);
          default -> p.skipChildren();
        }
      }
    }

    private void readResult(JsonParser p, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("isError") && v == JsonToken.VALUE_TRUE) {
          toolError = true;
        } else {
          p.skipChildren();
        }
      }
    }

    private void readError(JsonParser p, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("code") && v == JsonToken.VALUE_NUMBER_INT) {
          errorCode = p.getIntValue();
        } else {
          p.skipChildren();
        }
      }
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
      if (v == JsonToken.VALUE_STRING) {
        return cap(p.getText());
      }
      p.skipChildren();
      return null;
    }

    String problem() {
      if (!"2.0".equals(jsonrpc)) {
        return "\"jsonrpc\" must be \"2.0\"";
      }
      if (idWrongType || idNull) {
        return "\"id\" must be a string or a number";
      }
      if (methodWrongType) {
        return "\"method\" must be a string";
      }
      if (method != null) {
        if (hasResult || hasError) {
          return "a request cannot carry \"result\" or \"error\"";
        }
        return null;
      }
      if (!hasId) {
        return "a message needs \"method\" or, for a response, \"id\"";
      }
      if (hasResult == hasError) {
        return "a response carries exactly one of \"result\" and \"error\"";
      }
      return null;
    }

    JsonRpcMessage toMessage() {
      MessageKind kind =
          method == null
              ? MessageKind.RESPONSE
              : hasId ? MessageKind.REQUEST : MessageKind.NOTIFICATION;
      TargetKind targetKind = TargetKind.of(method);
      String target =
          switch (targetKind) {
            case TOOL, PROMPT -> name;
            case RESOURCE -> uri;
            case NONE -> null;
          };
      return new JsonRpcMessage(
          kind,
          id,
          method,
          target,
          metaProtocolVersion,
          metaTraceparent,
          protocolVersionParam,
          hasError ? errorCode : null,
          toolError);
    }
  }

  private static String cap(String s) {
    return s.length() <= MAX_FIELD_CHARS ? s : s.substring(0, MAX_FIELD_CHARS);
  }
}
