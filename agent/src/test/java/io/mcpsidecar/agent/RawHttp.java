package io.mcpsidecar.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client that sends exactly the bytes a test gives it (half a request, an unknown method, a body
 * that stops), which an HTTP client library would refuse to send.
 */
final class RawHttp implements AutoCloseable {

  /** What came back until the agent closed the connection, or until the read timed out. */
  record Answer(String text, boolean closed, Duration after) {
    int status() {
      if (!text.startsWith("HTTP/1.1 ")) {
        return -1;
      }
      return Integer.parseInt(text.substring(9, 12));
    }
  }

  private static final HttpClient ADMIN =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final Socket socket;
  private final long openedNanos = System.nanoTime();

  RawHttp(int port, Duration readTimeout) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout((int) readTimeout.toMillis());
    socket.setTcpNoDelay(true);
  }

  RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads until the agent closes the connection or the read timeout passes. */
  Answer readUntilClosed() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    boolean closed;
    try {
      int n;
      while ((n = in.read(buf)) != -1) {
        out.write(buf, 0, n);
      }
      closed = true;
    } catch (SocketTimeoutException e) {
      closed = false;
    } catch (IOException e) {
      closed = true; // reset by the agent
    }
    return new Answer(
        out.toString(StandardCharsets.UTF_8),
        closed,
        Duration.ofNanos(System.nanoTime() - openedNanos));
  }

  /** Reads until {@code marker} has arrived (or the read timeout passes); returns all read. */
  String readUntil(String marker) throws IOException {
    StringBuilder text = new StringBuilder();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    while (!text.toString().contains(marker)) {
      int n = in.read(buf);
      if (n == -1) {
        break;
      }
      text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    }
    return text.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static String post(String body, String... headers) {
    StringBuilder text =
        new StringBuilder(
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      text.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    return text.append("Content-Length: ")
        .append(body.getBytes(StandardCharsets.UTF_8).length)
        .append("\r\n\r\n")
        .append(body)
        .toString();
  }

  /** The agent's /metrics page. */
  private static String metricsText(Agent agent) throws Exception {
    return ADMIN
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.adminPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The value of one sample in the agent's /metrics, or -1 when it is not there. */
  static double metric(Agent agent, String sample) throws Exception {
    String text = metricsText(agent);
    for (String line : text.split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    return -1;
  }

  /** The HELP line of a metric family. */
  static String help(Agent agent, String family) throws Exception {
    String text = metricsText(agent);
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP " + family + " ")) {
        return line.substring(("# HELP " + family + " ").length());
      }
    }
    return null;
  }
}
