package io.mcpsidecar.benchmarks.soak;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Connections an attacker opens and then holds: ones that send nothing, half their headers, or
 * headers and a sliver of a 4 MiB body, and standalone GET streams. Up to {@code perKind} of each
 * are kept open; each is counted when the agent closes it (by how long it lasted) or when the
 * holder gives up on it after {@code holdMillis}.
 */
final class HeldConnections implements Runnable {

  enum Kind {
    SILENT("connections that send nothing"),
    HALF_HEADERS("connections that send half their headers"),
    STALLED_BODY("uploads stalled after 16 KiB of 4 MiB"),
    GET_STREAM("standalone GET streams held open");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private record Held(Kind kind, Socket socket, long openedNanos) {}

  private final int port;
  private final BooleanSupplier running;
  private final int perKind;
  private final long holdMillis;
  private final Map<Kind, Tally> tallies;
  private final List<Held> open = new ArrayList<>();

  HeldConnections(int port, BooleanSupplier running, int perKind, long holdMillis) {
    this.port = port;
    this.running = running;
    this.perKind = perKind;
    this.holdMillis = holdMillis;
    this.tallies = new java.util.EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      tallies.put(kind, new Tally(kind.label));
    }
  }

  List<Tally> tallies() {
    return List.copyOf(tallies.values());
  }

  @Override
  public void run() {
    while (running.getAsBoolean()) {
      sweep();
      for (Kind kind : Kind.values()) {
        long held = open.stream().filter(h -> h.kind() == kind).count();
        for (long i = held; i < perKind && running.getAsBoolean(); i++) {
          openOne(kind);
        }
      }
      LockSupport.parkNanos(50_000_000L);
    }
    for (Held held : open) {
      RawHttp.closeQuietly(held.socket());
    }
    open.clear();
  }

  private void sweep() {
    for (Iterator<Held> it = open.iterator(); it.hasNext(); ) {
      Held held = it.next();
      long ageMillis = (System.nanoTime() - held.openedNanos()) / 1_000_000;
      Tally tally = tallies.get(held.kind());
      if (RawHttp.closedByPeer(held.socket())) {
        tally.count("closed by the agent after " + bucket(ageMillis));
        RawHttp.closeQuietly(held.socket());
        it.remove();
      } else if (ageMillis > holdMillis) {
        tally.count(
            held.kind() == Kind.GET_STREAM
                ? "closed by the client after " + holdMillis / 1000 + " s"
                : "still open after " + holdMillis / 1000 + " s");
        RawHttp.closeQuietly(held.socket());
        it.remove();
      }
    }
  }

  private void openOne(Kind kind) {
    Tally tally = tallies.get(kind);
    try {
      Socket socket = RawHttp.connect(port, 5000);
      switch (kind) {
        case SILENT -> {}
        case HALF_HEADERS ->
            RawHttp.send(socket, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Fo", null);
        case STALLED_BODY -> {
          Map<String, String> headers = Attacks.callHeaders(Attacks.ATTACKER_KEY);
          RawHttp.send(socket, RawHttp.head("POST", headers, 4 << 20), new byte[16 << 10]);
        }
        case GET_STREAM -> {
          Map<String, String> headers = Attacks.callHeaders(Attacks.ATTACKER_KEY);
          headers.put("Accept", "text/event-stream");
          headers.remove("Content-Type");
          RawHttp.send(socket, RawHttp.head("GET", headers, -1), null);
          RawHttp.Response response = RawHttp.read(socket);
          tally.count("answered " + response.status());
          if (response.status() != 200) {
            RawHttp.closeQuietly(socket);
            return;
          }
        }
        default -> throw new IllegalStateException();
      }
      open.add(new Held(kind, socket, System.nanoTime()));
    } catch (IOException | RuntimeException e) {
      tally.count("io-error");
    }
  }

  private static String bucket(long millis) {
    if (millis <= 5_000) {
      return "≤ 5 s";
    }
    if (millis <= 15_000) {
      return "≤ 15 s";
    }
    if (millis <= 35_000) {
      return "≤ 35 s";
    }
    return "> 35 s";
  }
}
