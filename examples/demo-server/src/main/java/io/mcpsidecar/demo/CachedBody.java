package io.mcpsidecar.demo;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A POST body read once, so that an error answer can name the JSON-RPC id of the request the
 * transport refused. The SDK's servlet transports read the whole body into memory anyway, before
 * they look at it, so reading it first costs no streaming.
 */
final class CachedBody {

  private final HttpServletRequest request;

  private final byte[] bytes;

  private final Charset charset;

  private CachedBody(HttpServletRequest request, byte[] bytes, Charset charset) {
    this.request = request;
    this.bytes = bytes;
    this.charset = charset;
  }

  static CachedBody of(HttpServletRequest request) throws IOException {
    if (!"POST".equals(request.getMethod())) {
      return new CachedBody(request, new byte[0], StandardCharsets.UTF_8);
    }
    String encoding = request.getCharacterEncoding();
    Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
    byte[] bytes = request.getInputStream().readAllBytes();
    return new CachedBody(new Replaying(request, bytes, charset), bytes, charset);
  }

  /** The request to hand on: for a POST, one that replays the body. */
  HttpServletRequest request() {
    return request;
  }

  /** The id of the JSON-RPC request in the body, or null. */
  Object id() {
    return JsonRpcErrors.requestId(new String(bytes, charset));
  }

  private static final class Replaying extends HttpServletRequestWrapper {

    private final byte[] bytes;

    private final Charset charset;

    Replaying(HttpServletRequest request, byte[] bytes, Charset charset) {
      super(request);
      this.bytes = bytes;
      this.charset = charset;
    }

    @Override
    public ServletInputStream getInputStream() {
      var in = new ByteArrayInputStream(bytes);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body has already been read");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }
}
