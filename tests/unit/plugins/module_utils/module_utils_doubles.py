"""Test doubles for the module_utils tests: a scripted local HTTP server and a fake clock.

The fixtures that hand them to tests (`stub`, `clock`) are in conftest.py beside this file.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


EMPTY_EIPS = {"EipAddresses": {"EipAddress": []}, "HaVips": [], "TotalCount": 0}  # both Describe shapes


class StubServer:
    """Answers each request with the next scripted reply; records every request it receives.

    A reply is a dict: status, body (dict -> JSON, str/bytes as is), headers, delay (seconds),
    or drop=True to close the connection without answering. When the script runs out, `default` answers.
    """

    def __init__(self):
        self.replies = []
        # Shaped like a DescribeEipAddresses answer: the client refuses a Describe answer without its fields.
        self.default = {"status": 200, "body": {"RequestId": "req-default", **EMPTY_EIPS}}
        self.requests = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def script(self, *replies):
        self.replies.extend(replies)

    def next_reply(self):
        with self._lock:
            return self.replies.pop(0) if self.replies else self.default

    def record(self, handler):
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        entry = {"method": handler.command, "path": parts.path, "raw_path": handler.path, "query": dict(parse_qsl(parts.query, True)),
                 "raw_query": parts.query, "headers": {k.lower(): v for k, v in handler.headers.items()},
                 "body": handler.rfile.read(length) if length else b""}
        with self._lock:
            self.requests.append(entry)

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self):
                stub.record(self)
                reply = stub.next_reply()
                if reply.get("delay"):
                    time.sleep(reply["delay"])
                if reply.get("drop"):
                    self.close_connection = True
                    return
                body = reply.get("body", {})
                data = json.dumps(body).encode() if isinstance(body, dict) else (
                    body.encode() if isinstance(body, str) else body)
                try:
                    self.send_response(reply.get("status", 200))
                    for name, value in reply.get("headers", {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json" if isinstance(body, dict) else "text/plain")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (read-timeout tests): nothing to answer

            do_GET = do_POST = do_PUT = _answer

        return Handler

    def close(self):
        self._server.shutdown()
        self._server.server_close()


class FakeClock:
    """time.monotonic / time.sleep stand-ins: sleeping advances the clock instantly."""

    def __init__(self, start=1000.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds
