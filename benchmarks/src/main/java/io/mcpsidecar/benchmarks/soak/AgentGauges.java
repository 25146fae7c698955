package io.mcpsidecar.benchmarks.soak;

import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The agent's admin {@code /metrics}, scraped over a plain socket: the page size, the number of
 * series, and the summed value of every gauge that tracks something in flight (calls, streams,
 * connections, buffered bytes), which must all return to zero once the traffic stops.
 */
final class AgentGauges {

  /** Gauges of ours that count live things; matched on the metric family name. */
  private static final Pattern IN_FLIGHT =
      Pattern.compile("mcp_sidecar_.*(inflight|in_flight|streams|connections|buffered|active).*");

  /** Gauges that report a configured size rather than something live. */
  private static final Pattern SETTINGS = Pattern.compile(".*(max|limit|capacity).*");

  record Scrape(int bytes, int series, Map<String, Double> inFlight) {
    boolean allZero() {
      return inFlight.values().stream().allMatch(v -> v == 0.0);
    }
  }

  private AgentGauges() {}

  static Scrape scrape(int adminPort) throws IOException {
    try (Socket socket = RawHttp.connect(adminPort, 10_000)) {
      RawHttp.send(
          socket, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", null);
      RawHttp.Response response = RawHttp.read(socket);
      if (response.status() != 200) {
        throw new IOException("/metrics answered " + response.status());
      }
      return parse(response.text(), response.body().length);
    }
  }

  static Scrape parse(String page, int bytes) {
    Map<String, String> types = new TreeMap<>();
    Map<String, Double> inFlight = new TreeMap<>();
    int series = 0;
    for (String line : page.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        series++;
        int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
        String name = line.substring(0, end);
        if ("gauge".equals(types.get(name))
            && IN_FLIGHT.matcher(name).matches()
            && !SETTINGS.matcher(name).matches()) {
          double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          inFlight.merge(name, value, Double::sum);
        }
      }
    }
    return new Scrape(bytes, series, inFlight);
  }
}
