package io.mcpsidecar.agent.policy;

import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JSON values (Vert.x's decoded JSON, a JWT's claims) into the values CEL conditions compute
 * on: every integer becomes {@code int} (a long), every other number {@code double}, strings,
 * booleans, {@code null}, lists and maps stay what they are. Integers beyond a long become doubles,
 * so {@code args.amount > 1000} holds however the client wrote the number. A JWT's time claims
 * become seconds since the epoch, as they are written in the token.
 */
final class CelValues {

  private CelValues() {}

  /** A JSON object as a CEL map (empty for null). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object json) {
    Object converted = value(json);
    return converted instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static Object value(Object json) {
    if (json == null) {
      return NullValue.NULL_VALUE;
    }
    if (json instanceof String || json instanceof Boolean) {
      return json;
    }
    if (json instanceof Integer || json instanceof Long || json instanceof Short) {
      return ((Number) json).longValue();
    }
    if (json instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
    }
    if (json instanceof BigDecimal || json instanceof Double || json instanceof Float) {
      return ((Number) json).doubleValue();
    }
    if (json instanceof io.vertx.core.json.JsonObject object) {
      return value(object.getMap());
    }
    if (json instanceof io.vertx.core.json.JsonArray array) {
      return value(array.getList());
    }
    if (json instanceof Map<?, ?> map) {
      Map<String, Object> out = new HashMap<>(Math.max(4, map.size() * 2));
      map.forEach((k, v) -> out.put(String.valueOf(k), value(v)));
      return out;
    }
    if (json instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(value(v)));
      return out;
    }
    if (json instanceof Date date) {
      return date.getTime() / 1000;
    }
    if (json instanceof Instant instant) {
      return instant.getEpochSecond();
    }
    if (json instanceof Number number) {
      return number.doubleValue();
    }
    return String.valueOf(json);
  }
}
