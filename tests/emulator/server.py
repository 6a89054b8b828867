"""The HTTP layer: standard library ``ThreadingHTTPServer``, one thread per connection.

It only turns HTTP into an ``app.Request`` and an ``app.Response`` (or a dropped connection) back into
HTTP; everything else happens in ``Emulator.handle``.
"""
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

FORM = "application/x-www-form-urlencoded"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # many ansible forks connect at once

    def handle_error(self, request, client_address):
        # A client that gave up (slow fault, read timeout) or refused our self-signed certificate (the TLS tests)
        # is normal here; anything else is reported.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, ssl.SSLError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDKs and requests.Session expect
    server_version = "AlibabaCloudEmulator"

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_GET

    def _dispatch(self):
        from .app import DROP, Request  # app imports this module
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        params = dict(query)
        if (self.headers.get("Content-Type") or "").startswith(FORM):
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        headers = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        request = Request(self.command, parts.path or "/", query, params, headers, body)
        response = self.server.app.handle(request)
        if response is DROP:
            self._drop()
            return
        if getattr(response, "chunks", None) is not None:
            self._stream(response)
            return
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def _stream(self, response):
        """Write a faults.Streamed answer piece by piece (truncated, dripping or huge bodies), then close."""
        self.close_connection = True
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.length is not None:
                self.send_header("Content-Length", str(response.length))
            self.send_header("Connection", "close")
            self.end_headers()
            for chunk in response.chunks:
                self.wfile.write(chunk)
                if response.gap:
                    self.wfile.flush()
                    time.sleep(response.gap)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client stopped reading: what a client with a deadline or a size cap does
        self._drop()

    def _drop(self):
        """Close the connection without a byte of answer, as a lost response looks to a client."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass


def serve(app, address, tls=None):
    """Start serving ``app`` on ``address`` in a daemon thread; ``tls=(cert, key)`` for HTTPS."""
    server = _Server(address, _Handler)
    server.app = app
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        # Handshake in the connection's own thread, not in the accept loop.
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    # A short poll interval keeps stop() fast (tests start and stop one emulator per test).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="alibaba-emulator", daemon=True)
    thread.start()
    return server
