package io.mcpsidecar.demo;

import java.util.ArrayList;
import java.util.List;

/** Command-line options of the demo server, parsed once and reported all at once when wrong. */
record LaunchOptions(String host, int port, boolean stateless) {

  static final String USAGE =
      "usage: java -jar mcp-demo-server.jar [--host H] [--port N] [--stateless]";

  static LaunchOptions parse(String... args) {
    String host = "127.0.0.1";
    int port = 8080;
    boolean stateless = false;
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--stateless" -> stateless = true;
        case "--host", "--port" -> {
          if (i + 1 >= args.length) {
            problems.add(arg + ": missing value");
            continue;
          }
          String value = args[++i];
          if (arg.equals("--host")) {
            host = value;
          } else {
            port = parsePort(value, problems);
          }
        }
        default -> problems.add(arg + ": unknown option");
      }
    }
    if (host.isBlank()) {
      problems.add("--host: '' (expected: a host name or IP address)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new LaunchOptions(host, port, stateless);
  }

  private static int parsePort(String value, List<String> problems) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add("--port: " + value + " (expected: an integer in [0, 65535])");
    return -1;
  }
}
