package io.mcpsidecar.benchmarks.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpsidecar.benchmarks.upstream.Payloads;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The request-by-request attacks of the soak, each a loop on its own thread: made-up session ids,
 * odd methods, long and random tool names, aborted uploads, batches of calls and string ids full of
 * control characters. Every loop counts what the agent answered.
 */
final class Attacks {

  static final String ATTACKER_KEY = "mcp-sidecar-soak-attacker";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PRINTABLE =
      "!#$%&'()*+-.0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

  private final int port;
  private final BooleanSupplier running;
  private final AtomicLong ids = new AtomicLong();
  final List<Tally> tallies = new ArrayList<>();

  Attacks(int port, BooleanSupplier running) {
    this.port = port;
    this.running = running;
  }

  /** The loops to start, one thread each. */
  List<Runnable> loops() {
    List<Runnable> loops = new ArrayList<>();
    loops.add(loop("made-up session ids (8 KB)", this::madeUpSession, r -> {}));
    loops.add(loop("odd methods", this::oddMethod, r -> {}));
    loops.add(loop("long and random tool names", this::randomTool, r -> {}));
    loops.add(loop("batches of 100 calls", this::batch, r -> {}));
    Tally json = new Tally("control characters in ids: answer parses as JSON");
    tallies.add(json);
    loops.add(loop("control characters in ids", this::controlCharacterId, r -> parses(r, json)));
    Tally aborted = new Tally("aborted uploads");
    tallies.add(aborted);
    loops.add(() -> abortUploads(aborted));
    return loops;
  }

  private RequestLoop loop(
      String name,
      java.util.function.Supplier<RequestLoop.Request> next,
      java.util.function.Consumer<RawHttp.Response> check) {
    Tally tally = new Tally(name);
    tallies.add(tally);
    return new RequestLoop(port, tally, running, next, check);
  }

  private RequestLoop.Request madeUpSession() {
    Map<String, String> headers = callHeaders(ATTACKER_KEY);
    headers.put("Mcp-Session-Id", random(8000));
    return post(headers, Payloads.toolsCall(ids.incrementAndGet()).getBytes());
  }

  private RequestLoop.Request oddMethod() {
    byte[] body = Payloads.toolsCall(ids.incrementAndGet()).getBytes();
    String method = "ZZQ" + ids.incrementAndGet();
    return request(RawHttp.head(method, callHeaders(ATTACKER_KEY), body.length), body);
  }

  private RequestLoop.Request randomTool() {
    boolean longName = ThreadLocalRandom.current().nextBoolean();
    String name = random(longName ? 8192 : 24).replace("\\", "_").replace("\"", "_");
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":"
            + ids.incrementAndGet()
            + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
            + name
            + "\",\"arguments\":{}}}";
    return post(callHeaders(ATTACKER_KEY), body.getBytes(StandardCharsets.UTF_8));
  }

  private RequestLoop.Request batch() {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      body.append(i == 0 ? "" : ",").append(Payloads.toolsCallText(ids.incrementAndGet()));
    }
    Map<String, String> headers = callHeaders(ATTACKER_KEY);
    headers.put("MCP-Protocol-Version", "2025-03-26");
    return post(headers, body.append(']').toString().getBytes(StandardCharsets.UTF_8));
  }

  private RequestLoop.Request controlCharacterId() {
    StringBuilder id = new StringBuilder();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 16; i++) {
      id.append(String.format("\\u%04x", random.nextInt(0x20)));
      id.append(random.nextBoolean() ? "\\\"" : "\\\\");
      id.append(random.nextBoolean() ? "\\u2028" : "\\ud800");
    }
    String body = "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":42}";
    return post(callHeaders(ATTACKER_KEY), body.getBytes(StandardCharsets.UTF_8));
  }

  private static void parses(RawHttp.Response response, Tally tally) {
    if (response.body().length == 0) {
      tally.count("no body");
      return;
    }
    try {
      JSON.readTree(response.body());
      tally.count("valid JSON");
    } catch (IOException e) {
      tally.count("invalid JSON");
    }
  }

  /** Headers then part of the body, then gone; every other upload is sent whole, then gone. */
  private void abortUploads(Tally tally) {
    while (running.getAsBoolean()) {
      byte[] body = Payloads.toolsCall(ids.incrementAndGet()).getBytes();
      boolean whole = ids.get() % 2 == 0;
      try (Socket socket = RawHttp.connect(port, 2000)) {
        String head = RawHttp.head("POST", callHeaders(ATTACKER_KEY), whole ? body.length : 4096);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().write(body, 0, whole ? body.length : 100);
        socket.getOutputStream().flush();
        socket.setSoLinger(true, 0); // a reset, as a client that dies does
        tally.count(whole ? "aborted after the whole body" : "aborted mid-body");
      } catch (IOException e) {
        tally.count("io-error");
      }
    }
  }

  static Map<String, String> callHeaders(String apiKey) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Accept", Payloads.ACCEPT);
    headers.put("MCP-Protocol-Version", Payloads.PROTOCOL_VERSION);
    if (apiKey != null) {
      headers.put(Payloads.API_KEY_HEADER, apiKey);
    }
    return headers;
  }

  private static RequestLoop.Request post(Map<String, String> headers, byte[] body) {
    return request(RawHttp.head("POST", headers, body.length), body);
  }

  static RequestLoop.Request request(String head, byte[] body) {
    return new RequestLoop.Request() {
      @Override
      public String head() {
        return head;
      }

      @Override
      public byte[] body() {
        return body;
      }
    };
  }

  private static String random(int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = PRINTABLE.charAt(random.nextInt(PRINTABLE.length()));
    }
    return new String(chars);
  }
}
