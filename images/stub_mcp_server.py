#!/usr/bin/env python3
"""A tiny MCP server (Streamable HTTP, JSON answers) on loopback for scripts/test-images.sh.

Answers initialize, tools/list and tools/call (tool "ping" returns "pong"); notifications get 202;
a GET is an SSE stream of two progress notifications, then the end of the stream; a POST to any
other path (OTLP's /v1/traces) gets an empty 200.
Usage: stub_mcp_server.py PORT_FILE  (binds 127.0.0.1:0 and writes the port it got to PORT_FILE)
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # headers and body are separate writes: without TCP_NODELAY each answer waits for a delayed ACK
    disable_nagle_algorithm = True

    def do_GET(self):
        events = b"".join(
            b'event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress",'
            + b'"params":{"progressToken":"t","progress":%d}}\n\n' % i
            for i in (1, 2)
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Length", str(len(events)))
        self.end_headers()
        self.wfile.write(events)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if not self.path.startswith("/mcp"):
            # an OTLP collector (POST /v1/traces) that drops what it gets
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        message = json.loads(body)
        if "id" not in message:
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        method = message.get("method")
        if method == "initialize":
            result = {
                "protocolVersion": message["params"]["protocolVersion"],
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "stub", "version": "1.0.0"},
            }
        elif method == "tools/list":
            result = {"tools": [{"name": "ping", "inputSchema": {"type": "object"}}]}
        elif method == "tools/call":
            result = {"content": [{"type": "text", "text": "pong"}], "isError": False}
        else:
            result = {}
        answer = json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()
