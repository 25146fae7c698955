package io.mcpsidecar.demo;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Commits the headers of the GET SSE stream as soon as the SDK has set them. The SDK's servlet
 * transport writes nothing on that stream until it has a server-initiated message, so without this
 * a client (or a proxy waiting for upstream headers) sees no {@code 200 text/event-stream} until
 * the first notification, possibly never. Flushing in {@code getWriter()} happens on the request
 * thread before the SDK hands the writer to any other thread, so it cannot race a write.
 */
final class EagerStreamHeaders extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if ("GET".equals(request.getMethod())) {
      chain.doFilter(request, new FlushingOnWriter(response));
    } else {
      chain.doFilter(request, response);
    }
  }

  private static final class FlushingOnWriter extends HttpServletResponseWrapper {

    FlushingOnWriter(HttpServletResponse response) {
      super(response);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      String type = getContentType();
      if (!isCommitted() && type != null && type.startsWith("text/event-stream")) {
        flushBuffer();
      }
      return super.getWriter();
    }
  }
}
