package io.mcpsidecar.agent.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {

  // RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0000000000000000, 0",
    "8000000000000000, 0",
    "0000000000000001, 5e-324",
    "8000000000000001, -5e-324",
    "7fefffffffffffff, 1.7976931348623157e+308",
    "ffefffffffffffff, -1.7976931348623157e+308",
    "4340000000000000, 9007199254740992",
    "c340000000000000, -9007199254740992",
    "4430000000000000, 295147905179352830000",
    "44b52d02c7e14af5, 9.999999999999997e+22",
    "44b52d02c7e14af6, 1e+23",
    "44b52d02c7e14af7, 1.0000000000000001e+23",
    "444b1ae4d6e2ef4e, 999999999999999700000",
    "444b1ae4d6e2ef4f, 999999999999999900000",
    "444b1ae4d6e2ef50, 1e+21",
    "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d, 0.000001",
    "41b3de4355555553, 333333333.3333332",
    "41b3de4355555554, 333333333.33333325",
    "41b3de4355555555, 333333333.3333333",
    "41b3de4355555556, 333333333.3333334",
    "41b3de4355555557, 333333333.33333343",
    "becbf647612f3696, -0.0000033333333333333333",
    "43143ff3c1cb0959, 1424953923781206.2"
  })
  void writesNumbersAsEcmaScriptDoes(String bits, String expected) {
    double d = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
    assertThat(CanonicalJson.number(d)).isEqualTo(expected);
  }

  @Test
  void sortsMembersByUtf16CodeUnitsAndEscapesMinimally() {
    JsonObject object =
        new JsonObject(
            "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin\"}");
    assertThat(CanonicalJson.write(object))
        .isEqualTo(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin\","
                + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji\",\"\ufb33\":\"Hebrew\"}");
    assertThat(CanonicalJson.write(new JsonObject("{\"s\":\"a\\u0001\\\"\\\\/\"}")))
        .isEqualTo("{\"s\":\"a\\u0001\\\"\\\\/\"}");
  }

  @Test
  void equalValuesWrittenDifferentlyHaveOneDigest() {
    JsonObject a =
        new JsonObject("{\"amount\": 1e3, \"to\": {\"iban\": \"DE1\", \"n\": [1.0, true, null]}}");
    JsonObject b =
        new JsonObject("{\"to\":{\"n\":[1,true,null],\"iban\":\"DE1\"},\"amount\":1000}");
    assertThat(CanonicalJson.write(a))
        .isEqualTo("{\"amount\":1000,\"to\":{\"iban\":\"DE1\",\"n\":[1,true,null]}}");
    assertThat(CanonicalJson.digest(a)).isEqualTo(CanonicalJson.digest(b)).hasSize(64);
    assertThat(CanonicalJson.digest(new JsonObject("{\"amount\":1000.5}")))
        .isNotEqualTo(CanonicalJson.digest(a));
  }
}
