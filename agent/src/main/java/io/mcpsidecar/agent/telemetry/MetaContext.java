package io.mcpsidecar.agent.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.mcpsidecar.agent.mcp.JsonText;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes trace context into {@code params._meta} of the JSON-RPC requests in a body (SEP-414). Only
 * used when configured. The body is never re-encoded: the parser finds where {@code _meta} (or
 * {@code params}) is, and the new members are spliced into the original bytes there, so every other
 * byte, big numbers and long decimals included, reaches the server as the client wrote it.
 */
final class MetaContext {

  private static final JsonFactory JSON = new JsonFactory();

  /** Replace the bytes {@code [start, end)} with {@code text}; an insertion when they are equal. */
  private record Edit(long start, long end, String text) {}

  private MetaContext() {}

  /** The body with {@code traceparent} (and {@code tracestate}) set, or null to keep it as is. */
  static Buffer inject(Buffer body, String traceparent, String tracestate) {
    if (traceparent == null) {
      return null;
    }
    byte[] bytes = body.getBytes();
    Context context = new Context(traceparent, tracestate);
    List<Edit> edits = new ArrayList<>();
    try (JsonParser p = JSON.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_OBJECT) {
        message(p, context, edits);
      } else if (first == JsonToken.START_ARRAY) {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          if (t == JsonToken.START_OBJECT) {
            message(p, context, edits);
          } else {
            p.skipChildren();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return null; // never reached: the body was parsed before; leave it untouched
    }
    return edits.isEmpty() ? null : splice(bytes, edits);
  }

  private record Context(String traceparent, String tracestate) {

    String members() {
      String out = "\"traceparent\":" + JsonText.quote(traceparent);
      return tracestate == null ? out : out + ",\"tracestate\":" + JsonText.quote(tracestate);
    }
  }

  /** One message object; the parser stands on its START_OBJECT and ends on its END_OBJECT. */
  private static void message(JsonParser p, Context context, List<Edit> out) throws IOException {
    boolean method = false;
    boolean id = false;
    boolean params = false;
    boolean untouchable = false;
    int members = 0;
    List<Edit> mine = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      members++;
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "method" -> method = value == JsonToken.VALUE_STRING;
        case "id" -> id = true;
        case "params" -> {
          params = true;
          if (value == JsonToken.START_OBJECT) {
            untouchable |= !params(p, context, mine);
            continue;
          }
          untouchable |= value != JsonToken.VALUE_NULL;
          if (value == JsonToken.VALUE_NULL) {
            mine.add(replaceValue(p, "{\"_meta\":{" + context.members() + "}}"));
            continue;
          }
        }
        default -> {}
      }
      p.skipChildren();
    }
    if (!method || !id || untouchable) {
      return; // notifications and responses carry no trace of their own
    }
    if (!params) {
      String member = "\"params\":{\"_meta\":{" + context.members() + "}}";
      mine.add(insertBeforeEnd(p, members, member));
    }
    out.addAll(mine);
  }

  /** Params; false when its {@code _meta} is not an object and so cannot be written into. */
  private static boolean params(JsonParser p, Context context, List<Edit> out) throws IOException {
    boolean meta = false;
    boolean writable = true;
    int members = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      members++;
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (!field.equals("_meta")) {
        p.skipChildren();
        continue;
      }
      meta = true;
      if (value == JsonToken.START_OBJECT) {
        meta(p, context, out);
      } else if (value == JsonToken.VALUE_NULL) {
        out.add(replaceValue(p, "{" + context.members() + "}"));
      } else {
        writable = false;
        p.skipChildren();
      }
    }
    if (!meta) {
      out.add(insertBeforeEnd(p, members, "\"_meta\":{" + context.members() + "}"));
    }
    return writable;
  }

  private static void meta(JsonParser p, Context context, List<Edit> out) throws IOException {
    boolean traceparent = false;
    boolean tracestate = false;
    int members = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      members++;
      String field = p.currentName();
      p.nextToken();
      if (field.equals("traceparent")) {
        traceparent = true;
        out.add(replaceValue(p, JsonText.quote(context.traceparent())));
      } else if (field.equals("tracestate")) {
        tracestate = true;
        // W3C: an empty tracestate is the same as none.
        String value = context.tracestate() == null ? "" : context.tracestate();
        out.add(replaceValue(p, JsonText.quote(value)));
      } else {
        p.skipChildren();
      }
    }
    StringBuilder added = new StringBuilder();
    if (!traceparent) {
      added.append("\"traceparent\":").append(JsonText.quote(context.traceparent()));
    }
    if (!tracestate && context.tracestate() != null) {
      added.append(added.length() > 0 ? "," : "");
      added.append("\"tracestate\":").append(JsonText.quote(context.tracestate()));
    }
    if (added.length() > 0) {
      out.add(insertBeforeEnd(p, members, added.toString()));
    }
  }

  /** Replaces the value the parser stands on (a scalar, object or array) with {@code text}. */
  private static Edit replaceValue(JsonParser p, String text) throws IOException {
    long start = p.currentTokenLocation().getByteOffset();
    if (p.currentToken().isStructStart()) {
      p.skipChildren();
    } else {
      p.finishToken();
    }
    return new Edit(start, p.currentLocation().getByteOffset(), text);
  }

  /** Adds a member before the END_OBJECT the parser stands on. */
  private static Edit insertBeforeEnd(JsonParser p, int members, String member) {
    long at = p.currentTokenLocation().getByteOffset();
    return new Edit(at, at, (members > 0 ? "," : "") + member);
  }

  private static Buffer splice(byte[] bytes, List<Edit> edits) {
    edits.sort(Comparator.comparingLong(Edit::start));
    Buffer out = Buffer.buffer(bytes.length + 128 * edits.size());
    int from = 0;
    for (Edit edit : edits) {
      out.appendBytes(bytes, from, (int) edit.start() - from);
      out.appendString(edit.text());
      from = (int) edit.end();
    }
    out.appendBytes(bytes, from, bytes.length - from);
    return out;
  }
}
