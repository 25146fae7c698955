package io.mcpsidecar.benchmarks.soak;

import java.io.IOException;
import java.net.Socket;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends one kind of request again and again on a keep-alive connection, reconnecting when the agent
 * closes it, and counts each answer's status (or {@code io-error}). The check, when given, sees
 * every answer and may count more.
 */
final class RequestLoop implements Runnable {

  /** Builds the next request: head and body bytes. */
  interface Request {
    String head();

    byte[] body();
  }

  private final int port;
  private final Tally tally;
  private final BooleanSupplier running;
  private final java.util.function.Supplier<Request> next;
  private final Consumer<RawHttp.Response> check;

  RequestLoop(
      int port,
      Tally tally,
      BooleanSupplier running,
      java.util.function.Supplier<Request> next,
      Consumer<RawHttp.Response> check) {
    this.port = port;
    this.tally = tally;
    this.running = running;
    this.next = next;
    this.check = check;
  }

  @Override
  public void run() {
    Socket socket = null;
    while (running.getAsBoolean()) {
      try {
        if (socket == null) {
          socket = RawHttp.connect(port, 10_000);
        }
        Request request = next.get();
        RawHttp.send(socket, request.head(), request.body());
        RawHttp.Response response = RawHttp.read(socket);
        tally.count(Integer.toString(response.status()));
        check.accept(response);
        if ("close".equalsIgnoreCase(response.headers().get("connection"))) {
          RawHttp.closeQuietly(socket);
          socket = null;
        }
      } catch (IOException | RuntimeException e) {
        tally.count("io-error");
        if (socket != null) {
          RawHttp.closeQuietly(socket);
        }
        socket = null;
      }
    }
    if (socket != null) {
      RawHttp.closeQuietly(socket);
    }
  }
}
