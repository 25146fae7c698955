package io.mcpsidecar.benchmarks.soak;

import io.mcpsidecar.benchmarks.upstream.Payloads;
import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Recorder;

/**
 * The well-behaved client beside the attacks: opens a session (initialize, initialized) with its
 * own API key, then sends {@code tools/call} at a steady pace on one keep-alive connection. A call
 * counts as {@code ok} only when it is answered 200 with a JSON-RPC result; anything else is
 * counted by its status, and the client opens a new session.
 */
final class NormalClient implements Runnable {

  private static final AtomicLong IDS = new AtomicLong(1_000_000);

  private final int port;
  private final BooleanSupplier running;
  private final long pauseNanos;
  private final Tally tally;
  private final Recorder latency;

  NormalClient(
      int port, BooleanSupplier running, int callsPerSecond, Tally tally, Recorder latency) {
    this.port = port;
    this.running = running;
    this.pauseNanos = TimeUnit.SECONDS.toNanos(1) / callsPerSecond;
    this.tally = tally;
    this.latency = latency;
  }

  @Override
  public void run() {
    while (running.getAsBoolean()) {
      try (Socket socket = RawHttp.connect(port, 10_000)) {
        String session = initialize(socket);
        if (session == null) {
          continue;
        }
        while (running.getAsBoolean() && call(socket, session)) {
          LockSupport.parkNanos(pauseNanos);
        }
      } catch (IOException | RuntimeException e) {
        tally.count("io-error");
      }
    }
  }

  private String initialize(Socket socket) throws IOException {
    Map<String, String> headers = Attacks.callHeaders(Payloads.API_KEY);
    byte[] body = Payloads.initialize(IDS.incrementAndGet()).getBytes();
    RawHttp.send(socket, RawHttp.head("POST", headers, body.length), body);
    RawHttp.Response answer = RawHttp.read(socket);
    String session = answer.headers().get("mcp-session-id");
    if (answer.status() != 200 || session == null) {
      tally.count("initialize " + answer.status());
      return null;
    }
    headers.put("Mcp-Session-Id", session);
    byte[] initialized = Payloads.initialized().getBytes();
    RawHttp.send(socket, RawHttp.head("POST", headers, initialized.length), initialized);
    RawHttp.read(socket);
    return session;
  }

  private boolean call(Socket socket, String session) throws IOException {
    Map<String, String> headers = Attacks.callHeaders(Payloads.API_KEY);
    headers.put("Mcp-Session-Id", session);
    byte[] body = Payloads.toolsCall(IDS.incrementAndGet()).getBytes();
    long start = System.nanoTime();
    RawHttp.send(socket, RawHttp.head("POST", headers, body.length), body);
    RawHttp.Response answer = RawHttp.read(socket);
    latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
    boolean ok = answer.status() == 200 && answer.text().contains("\"result\"");
    tally.count(ok ? "ok" : Integer.toString(answer.status()));
    return ok && !"close".equalsIgnoreCase(answer.headers().get("connection"));
  }
}
