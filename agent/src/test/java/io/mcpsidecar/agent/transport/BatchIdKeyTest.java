package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.Json;
import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Ids written differently are one id, whether the key comes from the shortcut or the decoder. */
class BatchIdKeyTest {

  /** The key by decoding, as every id was keyed before the shortcut. */
  private static String decoded(String idJson) {
    Object id = Json.decodeValue(idJson);
    if (id instanceof Number number) {
      return "n" + new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
    }
    return id instanceof String text ? "s" + text : "?" + id;
  }

  @Property
  void integersKeyAsTheirValue(@ForAll long value) {
    String json = Long.toString(value);
    assertThat(BatchSplit.idKey(json)).isEqualTo(decoded(json));
    if (value >= -(1L << 53)
        && value <= 1L << 53) { // a fraction decodes to a double, exact up to 2^53
      assertThat(BatchSplit.idKey(json)).isEqualTo(BatchSplit.idKey(json + ".0"));
    }
  }

  @Property
  void stringsKeyAsTheirDecodedText(@ForAll @StringLength(max = 40) String value) {
    String json = Json.encode(value);
    assertThat(BatchSplit.idKey(json)).isEqualTo("s" + value).isEqualTo(decoded(json));
  }

  @Test
  void spellingsOfOneIdAreOneKey() {
    assertThat(BatchSplit.idKey("1000"))
        .isEqualTo(BatchSplit.idKey("1e3"))
        .isEqualTo(BatchSplit.idKey("1000.0"))
        .isEqualTo(BatchSplit.idKey(1000))
        .isEqualTo("n1000");
    assertThat(BatchSplit.idKey("-0")).isEqualTo(BatchSplit.idKey("0")).isEqualTo("n0");
    assertThat(BatchSplit.idKey("\"a\\u0062\"")).isEqualTo(BatchSplit.idKey("\"ab\""));
    assertThat(BatchSplit.idKey("123456789012345678901234567890"))
        .isEqualTo(decoded("123456789012345678901234567890"));
    assertThat(BatchSplit.idKey("\"1\"")).isNotEqualTo(BatchSplit.idKey("1"));
  }
}
