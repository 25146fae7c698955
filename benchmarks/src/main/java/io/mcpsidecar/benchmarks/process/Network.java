package io.mcpsidecar.benchmarks.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Free ports, and waiting for a port to accept or an HTTP endpoint to answer 200. */
public final class Network {

  private Network() {}

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code GET path} answers 200; polls every 2 ms. Fails if the process dies. */
  public static void awaitHttp200(ChildProcess process, int port, String path, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.alive()) {
        throw new IllegalStateException(
            process.name() + " exited during start-up:\n" + process.logTail(30));
      }
      if (answers200(port, path)) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    throw new IllegalStateException(
        process.name() + " not ready within " + timeout + ":\n" + process.logTail(30));
  }

  /** Waits until the port accepts connections. */
  public static void awaitPort(ChildProcess process, int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.alive()) {
        throw new IllegalStateException(
            process.name() + " exited during start-up:\n" + process.logTail(30));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    throw new IllegalStateException(
        process.name() + " did not listen on " + port + ":\n" + process.logTail(30));
  }

  static boolean answers200(int port, String path) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = new byte[12];
      int read = 0;
      while (read < head.length) {
        int n = in.read(head, read, head.length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
      return new String(head, 0, read, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
    } catch (IOException notYet) {
      return false;
    }
  }
}
