package io.mcpsidecar.agent.telemetry;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The fields of one access-log line, gathered on the event loop as plain fields (no key-value list,
 * no boxing) and written by {@link JsonLineEncoder} on the appender's thread. It travels as the
 * last argument of the logging event, after the two the message {@code "{} {}"} uses. Members are
 * written in this order, absent ones (null, or {@code stream} false) left out: requestId,
 * httpMethod, status, era, durationMs, traceId, spanId, tenant, session, rejected, stream, kind,
 * outcome, method, target, jsonrpcId, arguments, errorCode.
 */
final class AccessLine {

  final String requestId;
  final String httpMethod;
  final int status;
  final String era;
  final double durationMs;
  final String traceId;
  final String spanId;
  final String tenant;
  final String session;
  final String rejected;
  final boolean stream;
  // per JSON-RPC message; all null on the line of a GET or DELETE
  final String kind;
  final String outcome;
  final String method;
  final String target;
  final String jsonrpcId;
  final String arguments;
  final Integer errorCode;

  AccessLine(
      String requestId,
      String httpMethod,
      int status,
      String era,
      double durationMs,
      String traceId,
      String spanId,
      String tenant,
      String session,
      String rejected,
      boolean stream,
      String kind,
      String outcome,
      String method,
      String target,
      String jsonrpcId,
      String arguments,
      Integer errorCode) {
    this.requestId = requestId;
    this.httpMethod = httpMethod;
    this.status = status;
    this.era = era;
    this.durationMs = durationMs;
    this.traceId = traceId;
    this.spanId = spanId;
    this.tenant = tenant;
    this.session = session;
    this.rejected = rejected;
    this.stream = stream;
    this.kind = kind;
    this.outcome = outcome;
    this.method = method;
    this.target = target;
    this.jsonrpcId = jsonrpcId;
    this.arguments = arguments;
    this.errorCode = errorCode;
  }

  /** Writes the members into the object {@code json} has open. */
  void writeFields(JsonGenerator json) throws IOException {
    json.writeStringField("requestId", requestId); // a null string is written as null
    json.writeStringField("httpMethod", httpMethod);
    json.writeNumberField("status", (long) status);
    json.writeStringField("era", era);
    json.writeNumberField("durationMs", durationMs);
    if (traceId != null) {
      json.writeStringField("traceId", traceId);
      json.writeStringField("spanId", spanId);
    }
    if (tenant != null) {
      json.writeStringField("tenant", tenant);
    }
    if (session != null) {
      json.writeStringField("session", session);
    }
    if (rejected != null) {
      json.writeStringField("rejected", rejected);
    }
    if (stream) {
      json.writeBooleanField("stream", true);
    }
    if (kind == null) {
      return;
    }
    json.writeStringField("kind", kind);
    json.writeStringField("outcome", outcome);
    if (method != null) {
      json.writeStringField("method", method);
    }
    if (target != null) {
      json.writeStringField("target", target);
    }
    if (jsonrpcId != null) {
      json.writeStringField("jsonrpcId", jsonrpcId);
    }
    if (arguments != null) {
      json.writeStringField("arguments", arguments);
    }
    if (errorCode != null) {
      json.writeNumberField("errorCode", errorCode.longValue());
    }
  }
}
