package io.mcpsidecar.benchmarks.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so the soak can send what a client library refuses to (odd methods,
 * half headers, stalled bodies, made-up session ids of any size) and read answers byte-exactly.
 * Blocking: it runs on the soak's own threads, one connection each.
 */
final class RawHttp {

  /** Largest answer body read; the agent's own answers and the static server's are far smaller. */
  private static final int MAX_BODY = 1 << 20;

  /** A response: status, headers (names lower-cased, first value wins) and body. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {}

  static Socket connect(int port, int readTimeoutMillis) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    socket.setSoTimeout(readTimeoutMillis);
    socket.setTcpNoDelay(true);
    return socket;
  }

  /** The request head for {@code method /mcp}, ending with the blank line. */
  static String head(String method, Map<String, String> headers, int contentLength) {
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(" /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (Map.Entry<String, String> header : headers.entrySet()) {
      head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    if (contentLength >= 0) {
      head.append("Content-Length: ").append(contentLength).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  static void send(Socket socket, String head, byte[] body) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.write(body);
    }
    out.flush();
  }

  /** Reads one whole response; an event stream is read up to its headers only. */
  static Response read(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String statusLine = line(in);
    if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
      throw new IOException("no status line: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, String> headers = new HashMap<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.putIfAbsent(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    String type = headers.getOrDefault("content-type", "");
    if (type.startsWith("text/event-stream")) {
      return new Response(status, headers, new byte[0]);
    }
    if (headers.containsKey("content-length")) {
      int length = Integer.parseInt(headers.get("content-length"));
      if (length > MAX_BODY) {
        throw new IOException("answer too large: " + length);
      }
      return new Response(status, headers, in.readNBytes(length));
    }
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      return new Response(status, headers, chunks(in));
    }
    return new Response(status, headers, new byte[0]);
  }

  /** True when the peer has closed the connection (read hits end of stream within a moment). */
  /**
   * Whether the agent has closed {@code socket}: whatever it sent first (an answer before closing)
   * is read and dropped, then the end of the stream tells.
   */
  static boolean closedByPeer(Socket socket) {
    try {
      int old = socket.getSoTimeout();
      socket.setSoTimeout(1);
      try {
        byte[] drain = new byte[8192];
        for (int reads = 0; reads < 64; reads++) { // a stream that never stops is open
          if (socket.getInputStream().read(drain) < 0) {
            return true;
          }
        }
        return false;
      } finally {
        socket.setSoTimeout(old);
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  private static byte[] chunks(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      if (size == null) {
        throw new IOException("stream ended inside a chunked body");
      }
      int semicolon = size.indexOf(';');
      int length = Integer.parseInt(semicolon >= 0 ? size.substring(0, semicolon) : size, 16);
      if (length == 0) {
        for (String trailer = line(in); trailer != null && !trailer.isEmpty(); ) {
          trailer = line(in);
        }
        return body.toByteArray();
      }
      if (body.size() + length > MAX_BODY) {
        throw new IOException("answer too large");
      }
      body.write(in.readNBytes(length));
      line(in);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.length() == 0 ? null : line.toString();
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      if (line.length() > 65_536) {
        throw new IOException("header line too long");
      }
      line.append((char) b);
    }
  }
}
