"""A small HTTP front for the embedded S3 server, for the tests of what a client does on the way.

It forwards every request to the server, whether it is addressed as the endpoint (a reverse
proxy) or through HTTP_PROXY (a forward proxy: the request line then holds the whole URL), notes
each request it sees, and can answer the next few with an S3 error instead of forwarding them.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class S3Front:
    """A front on 127.0.0.1 (a free port) for the S3 server on `upstream_port`."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.seen: list[tuple[str, str]] = []  # (method, request target as it came)
        self._failures: list[tuple[int, str]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Forward)
        self._server.daemon_threads = True
        self._server.front = self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail_next(self, count: int, status: int, code: str) -> None:
        """Answer the next `count` requests with this S3 error (status and XML code)."""
        with self._lock:
            self._failures += [(status, code)] * count

    def take(self, method: str, target: str) -> tuple[int, str] | None:
        """Note a request; the error to answer it with, if one is queued."""
        with self._lock:
            self.seen.append((method, target))
            return self._failures.pop(0) if self._failures else None

    def __enter__(self) -> S3Front:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        failure = self.server.front.take(self.command, self.path)
        if failure is not None:
            status, code = failure
            error = f"<Error><Code>{code}</Code><Message>injected by the test</Message></Error>".encode()
            self._reply(status, [("Content-Type", "application/xml")], error, len(error))
            return
        target = urlsplit(self.path)
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.front.upstream_port, timeout=30)
        try:
            upstream.request(self.command, target.path + (f"?{target.query}" if target.query else ""),
                             body=body, headers=dict(self.headers.items()))
            reply = upstream.getresponse()
            data = reply.read()
            length = int(reply.getheader("Content-Length") or 0) if self.command == "HEAD" else len(data)
            headers = [(k, v) for k, v in reply.getheaders() if k.lower() not in HOP_BY_HOP]
            self._reply(reply.status, headers, data, length)
        finally:
            upstream.close()

    def _reply(self, status: int, headers: list[tuple[str, str]], data: bytes, length: int) -> None:
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = _handle

    def log_message(self, *args) -> None:
        """Quiet: the tests read `seen` instead."""
