package io.mcpsidecar.benchmarks.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * nginx as a plain reverse proxy, the way one would put it in front of an MCP server: HTTP/1.1 and
 * keep-alive to the upstream, {@code proxy_buffering off} so event streams flow, long read timeouts
 * so idle streams live. One worker, so it gets the same single CPU as the agent.
 */
public final class Nginx {

  private Nginx() {}

  public record Started(ChildProcess process, int port) {}

  /** The nginx binary, or a clear failure saying how to get it. */
  public static Path binary() {
    Path nginx = Cpus.find("nginx");
    if (nginx == null) {
      throw new IllegalStateException(
          "nginx is not installed, and the benchmark compares the agent with it. Install it"
              + " (Debian/Ubuntu: sudo apt-get install -y nginx; .ci/run does this) or skip the"
              + " benchmark with -Dbench.skip=true.");
    }
    return nginx;
  }

  public static Started start(Path dir, int upstreamPort, Cpus cpus) throws IOException {
    Path nginx = binary();
    Files.createDirectories(dir);
    int port = Network.freePort();
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, config(dir, port, upstreamPort));
    List<String> command = new ArrayList<>(cpus.on(Cpus.PROXY));
    command.addAll(
        List.of(
            nginx.toString(),
            "-p",
            dir.toString(),
            "-c",
            conf.toString(),
            "-e",
            dir.resolve("error.log").toString()));
    ChildProcess process = ChildProcess.start("nginx", command, Map.of(), dir.resolve("nginx.out"));
    Network.awaitPort(process, port, Duration.ofSeconds(10));
    return new Started(process, port);
  }

  /** As many connections as the open-file limit allows (two per proxied stream). */
  static long workerConnections() {
    return Math.max(1024, Math.min(65_536, FileLimits.current() - 64));
  }

  static String config(Path dir, int port, int upstreamPort) {
    String user = System.getProperty("user.name");
    // As root nginx would run its worker as "nobody", who cannot write here; as anyone else
    // the directive is ignored.
    return """
        daemon off;
        master_process on;
        worker_processes 1;
        user %1$s;
        pid %2$s/nginx.pid;
        error_log %2$s/error.log warn;
        events {
          worker_connections %5$d;
        }
        http {
          access_log off;
          client_body_temp_path %2$s/client_body;
          proxy_temp_path %2$s/proxy;
          fastcgi_temp_path %2$s/fastcgi;
          uwsgi_temp_path %2$s/uwsgi;
          scgi_temp_path %2$s/scgi;
          upstream mcp {
            server 127.0.0.1:%3$d;
            keepalive 64;
            keepalive_requests 10000000;
            keepalive_timeout 60s;
          }
          server {
            listen 127.0.0.1:%4$d backlog=16384;
            keepalive_requests 10000000;
            keepalive_timeout 75s;
            client_max_body_size 4m;
            location / {
              proxy_pass http://mcp;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_buffering off;
              proxy_read_timeout 1h;
              proxy_send_timeout 1h;
            }
          }
        }
        """
        .formatted(user, dir, upstreamPort, port, workerConnections());
  }
}
