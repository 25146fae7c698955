package io.mcpsidecar.benchmarks.load;

import io.mcpsidecar.benchmarks.process.ChildProcess;
import io.mcpsidecar.benchmarks.process.Cpus;
import io.mcpsidecar.benchmarks.upstream.Payloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saturation with wrk (closed loop, written in C, so the load generator takes as little of the
 * shared CPU as possible). Every connection sends the same 1 KiB tools/call in one session that the
 * harness initialized beforehand: wrk cannot run a handshake per connection, and neither the agent
 * nor the static server keeps per-session state, so the work per call is the same.
 */
public final class WrkLoad {

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(ms|s|m)\\b");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private final Path work;
  private final Cpus cpus;

  public WrkLoad(Path work, Cpus cpus) {
    this.work = work;
    this.cpus = cpus;
  }

  public static boolean available() {
    return Cpus.onPath("wrk");
  }

  public LoadResult run(
      Endpoint endpoint, String sessionId, int connections, Duration duration, MeasureWindow window)
      throws IOException, InterruptedException {
    Path script = work.resolve("tools-call.lua");
    Files.createDirectories(work);
    Files.writeString(script, script(sessionId));
    List<String> command = new ArrayList<>(cpus.on(Cpus.LOAD));
    command.addAll(
        List.of(
            "wrk",
            "-t1",
            "-c" + connections,
            "-d" + duration.toSeconds() + "s",
            "-s",
            script.toString(),
            endpoint.url()));
    Path log = work.resolve("wrk-" + endpoint.port() + ".out");
    window.opened();
    ChildProcess wrk = ChildProcess.start("wrk", command, Map.of(), log);
    int exit = wrk.waitFor(duration.plusSeconds(30));
    window.closed();
    wrk.close();
    String out = Files.readString(log);
    if (exit != 0) {
      throw new IllegalStateException("wrk failed (" + exit + "):\n" + out);
    }
    return parse(out);
  }

  static LoadResult parse(String out) {
    Matcher total = TOTAL.matcher(out);
    if (!total.find()) {
      throw new IllegalStateException("unexpected wrk output:\n" + out);
    }
    long requests = Long.parseLong(total.group(1));
    double seconds =
        Double.parseDouble(total.group(2))
            * switch (total.group(3)) {
              case "ms" -> 0.001;
              case "m" -> 60;
              default -> 1;
            };
    long errors = 0;
    String firstError = null;
    Matcher non2xx = NON_2XX.matcher(out);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
      firstError = "non-2xx responses";
    }
    Matcher socket = SOCKET_ERRORS.matcher(out);
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(socket.group(g));
      }
      firstError = firstError == null ? socket.group() : firstError;
    }
    Matcher rps = RPS.matcher(out);
    double measuredRps = rps.find() ? Double.parseDouble(rps.group(1)) : requests / seconds;
    long completed = Math.round(measuredRps * seconds);
    return new LoadResult(0, seconds, completed, errors, LoadResult.newHistogram(), firstError);
  }

  static String script(String sessionId) {
    String body = Payloads.toolsCallText(1_000_000);
    return """
        -- Written by the benchmark harness: one 1 KiB MCP tools/call per request.
        wrk.method = "POST"
        wrk.body = [==[%s]==]
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Accept"] = "%s"
        wrk.headers["MCP-Protocol-Version"] = "%s"
        wrk.headers["Mcp-Session-Id"] = "%s"
        wrk.headers["%s"] = "%s"
        """
        .formatted(
            body,
            Payloads.ACCEPT,
            Payloads.PROTOCOL_VERSION,
            sessionId,
            Payloads.API_KEY_HEADER,
            Payloads.API_KEY);
  }
}
