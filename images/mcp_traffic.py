#!/usr/bin/env python3
"""MCP traffic through the agent, for the AOT training run and the image measurements.

  mcp_traffic.py train MCP_PORT ADMIN_PORT [ROUNDS]
      ROUNDS times (default 200): /readyz, initialize, notifications/initialized, tools/list,
      tools/call, a GET SSE stream read to its end, /metrics. Exits non-zero if an answer is wrong.
  mcp_traffic.py load MCP_PORT RATE SECONDS [CONNECTIONS]
      tools/call at RATE calls/s (open loop, spread over CONNECTIONS keep-alive connections,
      default 8) for SECONDS; prints "sent errors achieved_rps".

Talks to 127.0.0.1 over HTTP/1.1 with keep-alive; standard library only. The agent must proxy to
images/stub_mcp_server.py (tool "ping" answers "pong").
"""

import http.client
import json
import sys
import threading
import time

HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2025-06-18",
    "X-API-Key": "mcp-sidecar-bench",
}
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "mcp-traffic", "version": "1"},
    },
}


def post(conn, message, extra=None):
    # bytes, so that headers and body leave in one segment (no delayed-ACK wait)
    conn.request("POST", "/mcp", json.dumps(message).encode(), {**HEADERS, **(extra or {})})
    r = conn.getresponse()
    return r.status, r.getheader("Mcp-Session-Id"), r.read()


def train(mcp_port, admin_port, rounds):
    mcp = http.client.HTTPConnection("127.0.0.1", mcp_port, timeout=10)
    admin = http.client.HTTPConnection("127.0.0.1", admin_port, timeout=10)
    for i in range(rounds):
        admin.request("GET", "/readyz")
        r = admin.getresponse()
        r.read()
        assert r.status == 200, f"/readyz {r.status}"
        status, session, body = post(mcp, INIT)
        assert status == 200 and b"serverInfo" in body, (status, body)
        extra = {"Mcp-Session-Id": session} if session else {}
        status, _, _ = post(mcp, {"jsonrpc": "2.0", "method": "notifications/initialized"}, extra)
        assert status == 202, f"notification {status}"
        status, _, body = post(mcp, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, extra)
        assert status == 200 and b'"ping"' in body, (status, body)
        call = {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "ping", "arguments": {"n": i}}}
        status, _, body = post(mcp, call, extra)
        assert status == 200 and b"pong" in body, (status, body)
        get = {k: v for k, v in HEADERS.items() if k != "Content-Type"}
        mcp.request("GET", "/mcp", headers={**get, "Accept": "text/event-stream", **extra})
        r = mcp.getresponse()
        body = r.read()
        assert r.status == 200 and b"notifications/progress" in body, (r.status, body)
        admin.request("GET", "/metrics")
        r = admin.getresponse()
        body = r.read()
        assert r.status == 200 and b"mcp_sidecar_build_info" in body, r.status
    print(f"trained: {rounds} rounds")


def load(mcp_port, rate, seconds, connections):
    sent = [0] * connections
    errors = [0] * connections
    start = time.monotonic() + 0.2
    interval = connections / rate

    def worker(k):
        conn = http.client.HTTPConnection("127.0.0.1", mcp_port, timeout=10)
        _, session, _ = post(conn, INIT)
        extra = {"Mcp-Session-Id": session} if session else {}
        n = 0
        t0 = start + k * interval / connections
        while True:
            due = t0 + n * interval
            if due - start >= seconds:
                break
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            call = {"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": {"name": "ping", "arguments": {}}}
            try:
                status, _, body = post(conn, call, extra)
                if status != 200 or b"pong" not in body:
                    errors[k] += 1
            except (OSError, http.client.HTTPException):
                errors[k] += 1
                conn = http.client.HTTPConnection("127.0.0.1", mcp_port, timeout=10)
            sent[k] += 1
            n += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    print(f"{sum(sent)} {sum(errors)} {sum(sent) / elapsed:.0f}")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "train":
        train(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 200)
    elif mode == "load":
        load(int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else 8)
    else:
        sys.exit(__doc__)
