"""The live page's HTTP server: its page, its data and its update stream, read-only, on loopback.

Three paths answer ``GET``, and nothing else does:

- ``/``        the explorer page (the same page ``actorgraph html`` writes, plus ``live.js``);
- ``/data``    the current payload as JSON;
- ``/events``  the update stream (Server-Sent Events): ``data`` events carry a new payload (their id is
  its version; a client sends the version it has as ``?since=`` or ``Last-Event-ID`` and gets the
  payload only when it differs), ``problems`` events the current problems (``[]`` when valid).

Every other path is 404, every other method 405 (there is no endpoint that writes). Bound to loopback,
the server also refuses requests whose ``Host`` header names another host (421), so a web page cannot
reach it through a DNS name rebound to 127.0.0.1. The standard library's ``ThreadingHTTPServer`` is
enough here: one user, a handful of connections, one long-lived stream per open page.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from graph.errors import ActorgraphError
from graph.explorer.live.state import LiveMap
from graph.explorer.live.watcher import Watcher

#: Seconds between keep-alive comments on an idle stream (they also reveal closed connections).
KEEPALIVE = 15.0
#: Milliseconds a browser waits before reconnecting a dropped stream.
RETRY_MS = 2000
_COMMON_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    live: LiveMap
    allowed_hosts: set[str] | None = None

    def handle_error(self, request, client_address) -> None:
        """A browser that closes its connection mid-answer (a reload, the tab closed, Ctrl-C) is normal:
        nothing to say. Anything else is one line through the map's ``report``, never a traceback on
        stderr (socketserver's default)."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout)):
            return
        self.live.report(f"a request from {client_address[0]} failed: {type(exc).__name__}: {exc}")


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "actorgraph"
    sys_version = ""
    timeout = 60  # a stream whose reader stops reading is dropped after this many seconds

    def log_message(self, format, *args):  # noqa: A002 - the library prints nothing
        pass

    def __getattr__(self, name: str):
        # http.server dispatches method M to do_M and answers 501 when there is none: every method
        # but GET gets 405 instead, whatever its name.
        if name.startswith("do_"):
            return self._refuse
        raise AttributeError(name)

    def _refuse(self) -> None:
        self._send_text(HTTPStatus.METHOD_NOT_ALLOWED, "only GET is allowed: this server is read-only\n",
                        {"Allow": "GET"})

    def _send_text(self, status: HTTPStatus, text: str, headers: dict | None = None) -> None:
        self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8", headers)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in {**_COMMON_HEADERS, **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        allowed = self.server.allowed_hosts
        if allowed is not None and self.headers.get("Host", "").lower() not in allowed:
            self._send_text(HTTPStatus.MISDIRECTED_REQUEST, "unexpected Host header\n")
            return
        path, _, query = self.path.partition("?")
        live = self.server.live
        if path == "/":
            self._send(HTTPStatus.OK, live.page().encode("utf-8"), "text/html; charset=utf-8",
                       {"Content-Security-Policy": "frame-ancestors 'none'"})
        elif path == "/data":
            snap = live.snapshot
            self._send(HTTPStatus.OK, snap.payload.encode("utf-8"), "application/json; charset=utf-8",
                       {"ETag": f'"{snap.version}"'})
        elif path == "/events":
            self._stream(query)
        else:
            self._send_text(HTTPStatus.NOT_FOUND, "not found: this server answers /, /data and /events\n")

    def _stream(self, query: str) -> None:
        live = self.server.live
        have = self.headers.get("Last-Event-ID") or parse_qs(query).get("since", [""])[0]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        for key, value in _COMMON_HEADERS.items():
            self.send_header(key, value)
        self.end_headers()
        seq, problems = -1, None
        try:
            self.wfile.write(f"retry: {RETRY_MS}\n\n".encode())
            while not live.closed:
                snap = live.wait(seq, KEEPALIVE)
                if live.closed:
                    break
                if snap.seq == seq:
                    self.wfile.write(b": keep-alive\n\n")
                    continue
                seq = snap.seq
                out = []
                if snap.version != have:
                    out.append(f"event: data\nid: {snap.version}\ndata: {snap.payload}\n\n")
                    have = snap.version
                if snap.problems != problems:
                    out.append(_event("problems", list(snap.problems)))
                    problems = snap.problems
                if out:
                    self.wfile.write("".join(out).encode("utf-8"))
        except (BrokenPipeError, ConnectionResetError, TimeoutError, socket.timeout):
            pass  # the page was closed or reloaded


def _event(name: str, value) -> str:
    import json

    return f"event: {name}\ndata: {json.dumps(value, ensure_ascii=False)}\n\n"


class LiveServer:
    """Serve ``live`` on ``host:port`` (port 0: any free port) and keep it updated from its folder.

    Use ``serve_forever()`` in the foreground (Ctrl-C, then ``close()``), or ``start()`` for a
    background thread (tests), or ``with LiveServer(...) as server:``.
    """

    def __init__(self, live: LiveMap, host: str = "127.0.0.1", port: int = 0, *, watch: bool = True):
        self.live = live
        try:
            self.httpd = _HTTPServer((host, port), _Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ActorgraphError(f"port {port} on {host} is in use; choose another with --port N "
                                      "(--port 0 picks a free one)") from None
            raise ActorgraphError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.httpd.live = live
        self.host, self.port = host, self.httpd.server_address[1]
        if is_loopback(host):
            names = {"127.0.0.1", "localhost", "[::1]", host.lower()}
            self.httpd.allowed_hosts = {f"{name}:{self.port}" for name in names}
        self.watcher = Watcher(live) if watch else None
        self._thread: threading.Thread | None = None
        self._serving = False

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def serve_forever(self) -> None:
        """Watch the folder and answer requests until ``close()`` (or Ctrl-C in the caller)."""
        if self.watcher is not None:
            self.watcher.start()
        self._serving = True
        self.httpd.serve_forever(poll_interval=0.5)

    def start(self) -> "LiveServer":
        """``serve_forever`` in a background thread."""
        self._thread = threading.Thread(target=self.serve_forever, name="actorgraph-serve", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop watching, end every open stream, stop answering and free the port."""
        if self.watcher is not None:
            self.watcher.stop()
        self.live.close()
        if self._serving:
            self.httpd.shutdown()
            self._serving = False
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
