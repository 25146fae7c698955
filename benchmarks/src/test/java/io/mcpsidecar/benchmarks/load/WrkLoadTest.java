package io.mcpsidecar.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrkLoadTest {

  @Test
  void readsThroughputAndErrorsFromWrkOutput() {
    String out =
        """
        Running 10s test @ http://127.0.0.1:9000/mcp
          1 threads and 32 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     2.11ms  512.00us  12.00ms   90.00%
            Req/Sec    15.20k     1.10k   17.00k    70.00%
          151234 requests in 10.00s, 98.76MB read
          Socket errors: connect 0, read 2, write 0, timeout 1
          Non-2xx or 3xx responses: 4
        Requests/sec:  15123.40
        Transfer/sec:      9.88MB
        """;
    LoadResult result = WrkLoad.parse(out);
    assertThat(result.seconds()).isEqualTo(10.0);
    assertThat(result.throughput()).isCloseTo(15123.4, org.assertj.core.data.Offset.offset(0.1));
    assertThat(result.errors()).isEqualTo(7);
  }

  @Test
  void scriptCarriesTheSessionAndTheOneKibibyteCall() {
    String script = WrkLoad.script("abc-123");
    assertThat(script)
        .contains("wrk.method = \"POST\"")
        .contains("wrk.headers[\"Mcp-Session-Id\"] = \"abc-123\"")
        .contains("\"method\":\"tools/call\"");
  }
}
