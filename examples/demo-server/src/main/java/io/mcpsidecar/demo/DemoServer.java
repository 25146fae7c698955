package io.mcpsidecar.demo;

import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.LoggerFactory;

/**
 * A demo MCP server built with the official MCP Java SDK, serving Streamable HTTP at {@code /mcp}
 * on an embedded Jetty 12 (EE10 servlet) server. It is the upstream the sidecar agent is run and
 * tested against: echo, add, slow, fail, progress, sample and elicit tools, one resource and one
 * prompt, in stateful (sessions, GET stream, DELETE) or stateless mode.
 *
 * <pre>{@code
 * try (DemoServer server = DemoServer.start("127.0.0.1", 0, false)) {
 *   connect(server.url()); // http://127.0.0.1:PORT/mcp
 * }
 * }</pre>
 */
public final class DemoServer implements AutoCloseable {

  /**
   * The servlet transport of the SDK holds a container thread for the whole of a stateful request
   * (it blocks until the response stream completes), so the pool bounds concurrent tool calls.
   */
  static final int MAX_THREADS = 256;

  /**
   * SSE streams can sit silent for long stretches (the GET stream, a slow tool); a short idle
   * timeout would cut them. Long enough for any demo, short enough to reap dead peers.
   */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);

  static final Duration STOP_TIMEOUT = Duration.ofMillis(500);

  private static final String LOGBACK_CONFIG = "mcp-demo-server-logback.xml";

  private final Server jetty;

  private final McpEndpoint endpoint;

  private final String host;

  private final int port;

  private final AtomicBoolean closed = new AtomicBoolean();

  private DemoServer(Server jetty, McpEndpoint endpoint, String host, int port) {
    this.jetty = jetty;
    this.endpoint = endpoint;
    this.host = host;
    this.port = port;
  }

  /**
   * Starts a server and returns once it accepts connections.
   *
   * @param host the address to bind, e.g. {@code 127.0.0.1}
   * @param port the port to bind; 0 picks a free one (see {@link #port()})
   * @param stateless {@code true} for the SDK's stateless transport (no sessions, GET answers 405,
   *     no sample/elicit tools), {@code false} for Streamable HTTP with sessions
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static DemoServer start(String host, int port, boolean stateless) {
    McpEndpoint endpoint = McpEndpoint.create(stateless);
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 8);
    threads.setName("demo-mcp");
    // A stateful tool call parks its container thread until the tool answers (see MAX_THREADS);
    // on stop, interrupt such threads soon rather than wait out a long `slow` call.
    threads.setStopTimeout(STOP_TIMEOUT.toMillis());
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    jetty.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder("mcp", endpoint.servlet());
    holder.setAsyncSupported(true);
    context.addServlet(holder, McpEndpoint.PATH);
    // outermost: the transport's own HTTP errors become JSON-RPC errors, never a stack trace
    context.addFilter(
        new FilterHolder(new JsonRpcErrors()),
        McpEndpoint.PATH,
        EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(
        new FilterHolder(new EagerStreamHeaders()),
        McpEndpoint.PATH,
        EnumSet.of(DispatcherType.REQUEST));
    jetty.setHandler(context);
    // No graceful phase: close() has already ended the MCP sessions.
    jetty.setStopTimeout(0);
    try {
      jetty.start();
    } catch (Exception e) {
      endpoint.close();
      stopQuietly(jetty);
      throw new UncheckedIOException(
          new IOException("cannot start demo MCP server on " + host + ":" + port, e));
    }
    return new DemoServer(jetty, endpoint, host, connector.getLocalPort());
  }

  /** The bound port (the real one when started with port 0). */
  public int port() {
    return port;
  }

  /** The MCP endpoint, e.g. {@code http://127.0.0.1:PORT/mcp}. */
  public String url() {
    String authority = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + authority + ":" + port + McpEndpoint.PATH;
  }

  /** Closes MCP sessions (ending their SSE streams), then stops Jetty. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        endpoint.close();
      } finally {
        stopQuietly(jetty);
      }
    }
  }

  /**
   * {@code java -jar mcp-demo-server.jar [--host H] [--port N] [--stateless]}: prints one line,
   * {@code demo MCP server listening on http://HOST:PORT/mcp}, and serves until SIGTERM.
   */
  public static void main(String[] args) throws InterruptedException {
    // Before anything touches SLF4J: the jar's own config keeps the console quiet (WARN) without
    // shipping a logback.xml that would leak into modules that use this one as a test dependency.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
    if (Arrays.asList(args).contains("--help")) {
      System.out.println(LaunchOptions.USAGE);
      return;
    }
    LaunchOptions options;
    try {
      options = LaunchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(LaunchOptions.USAGE);
      System.exit(2);
      return;
    }
    DemoServer server = start(options.host(), options.port(), options.stateless());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "demo-mcp-shutdown"));
    // The one line of stdout is a contract: scripts wait for it to learn the URL.
    System.out.println("demo MCP server listening on " + server.url());
    System.out.flush();
    server.jetty.join();
  }

  private static void stopQuietly(Server jetty) {
    try {
      jetty.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Looked up here, not in a static field, so that main() can pick the logback config first.
      LoggerFactory.getLogger(DemoServer.class).warn("stopping Jetty failed", e);
    }
  }
}
