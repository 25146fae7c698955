package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeadersTest {

  private static List<String> copied(MultiMap from, Set<String> alsoSkip) {
    MultiMap to = MultiMap.caseInsensitiveMultiMap();
    Headers.copyEndToEnd(from, to, alsoSkip);
    List<String> out = new ArrayList<>();
    to.forEach(h -> out.add(h.getKey() + ": " + h.getValue()));
    return out;
  }

  @Test
  void dropsHopByHopHeadersWhateverTheirCase() {
    MultiMap from =
        MultiMap.caseInsensitiveMultiMap()
            .add("Keep-Alive", "timeout=5")
            .add("TRANSFER-ENCODING", "chunked")
            .add("tE", "trailers")
            .add("Proxy-Authorization", "Basic Zm9vOmJhcg==")
            .add("proxy-AUTHENTICATE", "Basic")
            .add("Proxy-Connection", "keep-alive")
            .add("Trailer", "Expires")
            .add("UPGRADE", "h2c")
            .add("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA")
            .add("Content-Type", "application/json")
            .add("Mcp-Session-Id", "abc")
            .add("X-Multi", "1")
            .add("x-multi", "2");

    assertThat(copied(from, Set.of()))
        .containsExactly(
            "Content-Type: application/json", "Mcp-Session-Id: abc", "X-Multi: 1", "x-multi: 2");
  }

  @Test
  void dropsTheNamesTheCallerSkipsWhateverTheirCase() {
    MultiMap from =
        MultiMap.caseInsensitiveMultiMap()
            .add("HOST", "mcp.example")
            .add("Content-Length", "12")
            .add("Hostname", "kept")
            .add("Accept", "application/json");

    assertThat(copied(from, Set.of("host", "content-length")))
        .containsExactly("Hostname: kept", "Accept: application/json");
  }

  @Test
  void dropsTheHeadersConnectionNames() {
    MultiMap from =
        MultiMap.caseInsensitiveMultiMap()
            .add("Connection", "x-foo")
            .add("X-Foo", "dropped")
            .add("X-Foo-Bar", "kept")
            .add("X-Fo", "kept");

    assertThat(copied(from, Set.of())).containsExactly("X-Foo-Bar: kept", "X-Fo: kept");
  }

  @Test
  void readsEveryTokenOfConnectionTrimmedAndInAnyCase() {
    MultiMap from =
        MultiMap.caseInsensitiveMultiMap()
            .add("Connection", "close,  X-FOO\t, x-Bar ,,Keep-Alive,")
            .add("x-foo", "dropped")
            .add("X-BAR", "dropped")
            .add("X-Baz", "kept")
            .add("Close", "dropped");

    assertThat(copied(from, Set.of())).containsExactly("X-Baz: kept");
  }

  /** The rule as first written: lower-case every name and look it up in sets. */
  private static List<String> reference(MultiMap from, Set<String> alsoSkip) {
    Set<String> hop =
        Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "http2-settings");
    Set<String> skip = new HashSet<>(alsoSkip);
    String connection = from.get("Connection");
    if (connection != null) {
      for (String token : connection.split(",")) {
        skip.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!hop.contains(name) && !skip.contains(name)) {
        out.add(header.getKey() + ": " + header.getValue());
      }
    }
    return out;
  }

  @Test
  void agreesWithLowerCasingEveryNameOnRandomHeaders() {
    // Includes names whose lower case is not per-character ASCII: the Kelvin sign lower-cases
    // to 'k', a dotted capital I to two chars, a dotless i stays itself.
    String[] names = {
      "Keep-Alive",
      "KEEP-ALIVE",
      "\u212Aeep-alive",
      "Connection",
      "TE",
      "te",
      "Upgrade",
      "Host",
      "host",
      "Content-Length",
      "X-Foo",
      "x-foo",
      "X-F\u0130",
      "x-f\u0131",
      "X-Bar",
      "Accept",
      "Mcp-Session-Id",
      "Trailer",
      "TRAILERS",
      "x-\u212Aey",
      "x-key"
    };
    String[] connections = {
      null,
      "keep-alive",
      "close",
      "X-Foo",
      "x-foo, X-Bar",
      " x-FOO ,\tx-bar,",
      "\u212Aeep-Alive",
      "x-f\u0131, x-\u212Aey",
      "X-F\u0130",
      "upgrade, X-KEY",
      ",",
      " , x-foo"
    };
    Random random = new Random(42);
    for (int round = 0; round < 2_000; round++) {
      MultiMap from = MultiMap.caseInsensitiveMultiMap();
      String connection = connections[random.nextInt(connections.length)];
      if (connection != null) {
        from.add("Connection", connection);
      }
      int count = random.nextInt(8);
      for (int i = 0; i < count; i++) {
        from.add(names[random.nextInt(names.length)], "v" + i);
      }
      Set<String> alsoSkip = random.nextBoolean() ? Set.of("host", "content-length") : Set.of();

      assertThat(copied(from, alsoSkip)).as("%s", from).isEqualTo(reference(from, alsoSkip));
    }
  }
}
