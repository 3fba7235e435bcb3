"""The preview's web server: the standard library's ThreadingHTTPServer on the
loopback address, Server-Sent Events for updates, JSON for search and adding.

Every request must name this server in its Host header (no DNS rebinding) and
carry the session's token (``?token=`` on the page and the event stream, the
``X-Lettersmith-Token`` header on the one request that writes, ``POST /add``).
"""
from __future__ import annotations

import hmac
import json
import secrets
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import LettersmithError
from .session import Session

HOST = "127.0.0.1"
KEEPALIVE = 15.0  # seconds between comments on an idle event stream


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, session: Session, port: int) -> None:
        self.session = session
        super().__init__((HOST, port), Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser closing its connection is normal; anything else: one line, no traceback."""
        err = sys.exc_info()[1]
        if not isinstance(err, (ConnectionError, TimeoutError)):
            print(f"lettersmith preview: internal error answering a request, please report it: "
                  f"{type(err).__name__}: {err}", file=sys.stderr)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/?token={self.session.token}"


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    # ------------------------------------------------------------------ checks

    def _allowed(self, token: str | None) -> bool:
        """Refuse (and answer) a request to another host name or without the token.

        A refused request's connection is closed: its body is never read.
        """
        port = self.server.port
        if self.headers.get("Host", "") not in (f"{HOST}:{port}", f"localhost:{port}"):
            self.close_connection = True
            self._send(HTTPStatus.FORBIDDEN, "wrong Host header: open the address "
                       "lettersmith preview printed", "text/plain")
            return False
        if not token or not hmac.compare_digest(token.encode(), self.server.session.token.encode()):
            self.close_connection = True
            self._send(HTTPStatus.FORBIDDEN, "missing or wrong session token: open the address "
                       "lettersmith preview printed (it ends with ?token=...)", "text/plain")
            return False
        return True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        """Quiet: the terminal shows the address and errors, not every request."""

    # ----------------------------------------------------------------- answers

    def _send(self, status: int, body: str | bytes, ctype: str, *,
              policy: str = "default-src 'none'") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Security-Policy", policy)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _json(self, value: Any, status: int = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(value), "application/json")

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        url = urlsplit(self.path)
        if url.path == "/favicon.ico":  # browsers ask without the token; there is none
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
            return
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if not self._allowed(query.get("token")):
            return
        session = self.server.session
        if url.path == "/":
            from .page import page
            title = f"{session.brief.name} \u00b7 lettersmith preview"
            nonce = secrets.token_urlsafe(16)  # only the page's own script runs
            self._send(HTTPStatus.OK, page(session.token, title, nonce), "text/html",
                       policy=f"default-src 'none'; script-src 'nonce-{nonce}'; "
                              "style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:")
        elif url.path == "/state":
            self._json(session.state)
        elif url.path == "/events":
            self._events()
        elif url.path == "/search":
            from .search import search_results
            self._json(search_results(session.current_library(), query.get("q", "")))
        else:
            self._send(HTTPStatus.NOT_FOUND, "not found", "text/plain")

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        if not self._allowed(self.headers.get("X-Lettersmith-Token")):
            return
        if urlsplit(self.path).path != "/add":
            self.close_connection = True
            self._send(HTTPStatus.NOT_FOUND, "not found", "text/plain")
            return
        from .brief_edit import ADDABLE, add_to_brief
        session = self.server.session
        try:
            length = min(int(self.headers.get("Content-Length") or 0), 10_000)
            request = json.loads(self.rfile.read(length) or b"{}")
            library = session.current_library()
            item = library.items.get(str(request.get("id", "")))
            if item is None or item.kind not in ADDABLE:
                raise LettersmithError(f"no argument, quote or fact {request.get('id')!r}")
            after = request.get("after")
            index = add_to_brief(session.brief, item, int(after) if after is not None else None)
        except (ValueError, TypeError, AttributeError):
            self._json({"error": "a bad request"}, HTTPStatus.BAD_REQUEST)
            return
        except LettersmithError as err:
            self._json({"error": str(err)}, HTTPStatus.CONFLICT)
            return
        state = session.rebuild(library_changed=False)
        self._json({"index": index, "version": state["version"], "error": state["error"]})

    def _events(self) -> None:
        """Server-Sent Events: the state now, then each newer one as it is built."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        session = self.server.session
        version = -1
        try:
            while not session.stop.is_set():
                state = session.wait_newer(version, KEEPALIVE)
                if state is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    version = state["version"]
                    self.wfile.write(f"data: {json.dumps(state)}\n\n".encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True
