"""The command line's side: hand the command to a running server, or say it could not.

Only modules Python loads at start-up, plus the C parts of :mod:`socket` and
:mod:`array`, are imported here (``socket`` itself pulls in ``enum`` and
``selectors``), so a command the server runs costs this process little more than
Python's own start.
"""
from __future__ import annotations

import os
import sys

from . import paths
from .protocol import Request

LOCAL_COMMANDS = {"preview", "server"}  # long-running, or about the server itself
no_server = False  # set when no server answered: the command line then starts one


def subcommand(argv: list[str]) -> str | None:
    """The first argument that is not an option (the top level takes no values)."""
    return next((arg for arg in argv[1:] if not arg.startswith("-")), None)


def forward(argv: list[str], prog: str) -> int | None:
    """The command's exit status when a server ran it; None when this process must
    run it itself (no server, turned off, refused, or the caller's streams closed)."""
    if not paths.enabled() or subcommand(argv) in LOCAL_COMMANDS:
        return None
    folder = paths.runtime_dir()
    if not folder:
        return None
    import _socket
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    global no_server
    try:
        sock.connect(paths.path(folder, "sock"))
    except OSError:
        sock.close()
        no_server = True
        return None
    try:
        return _run(sock, argv, prog)
    except (OSError, ValueError, UnicodeError):  # a server that makes no sense: run here
        return None
    finally:
        sock.close()


def _encodings() -> tuple[str, ...] | None:
    found: list[str] = []
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if stream is None or getattr(stream, "encoding", None) is None:
            return None
        found += [stream.encoding, stream.errors or "strict"]
    return tuple(found)


def _run(sock, argv: list[str], prog: str) -> int | None:  # type: ignore[no-untyped-def]
    import _socket
    import array
    global no_server
    encodings = _encodings()
    if encodings is None:
        return None
    try:
        for fd in (0, 1, 2):
            os.fstat(fd)
        cwd = os.open(".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    mask = os.umask(0o022)
    os.umask(mask)
    env = tuple(f"{name}={value}" for name, value in os.environ.items())
    request = Request("run", prog, mask, encodings, tuple(argv), env)
    try:
        fds = array.array("i", [0, 1, 2, cwd]).tobytes()
        data = request.encode()
        sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
        if sent < len(data):  # a stream socket may take a large request in parts (and
            sock.sendall(data[sent:])  # sending nothing to a server that answered fails)
    except OSError:
        return None
    finally:
        os.close(cwd)
    replies = _Lines(sock)
    first = _line(replies, None)
    if not first.startswith(b"pid "):
        no_server = first.startswith(b"refuse stale")  # new code: a new server for it
        return None  # refused, or the server went away before taking it: run here
    # From here on the command runs: never run it a second time here.
    worker = int(first[4:]) if first[4:].strip().isdigit() else None
    last = _line(replies, worker)
    if last.startswith(b"exit ") and last[5:].strip().lstrip(b"-").isdigit():
        code = int(last[5:])
        return code if code >= 0 else 128 - code
    sys.stderr.write("error: the lettersmith server stopped before the command ended; "
                     "run it again (LETTERSMITH_SERVER=0 runs it without the server)\n")
    return 1


class _Lines:
    """The server's reply lines (a bare C socket has no ``makefile``)."""

    def __init__(self, sock) -> None:  # type: ignore[no-untyped-def]
        self.sock = sock
        self.buffer = b""

    def readline(self, limit: int) -> bytes:
        while b"\n" not in self.buffer and len(self.buffer) < limit:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            self.buffer += chunk
        line, newline, self.buffer = self.buffer.partition(b"\n")
        return line + newline


def _line(replies: _Lines, worker: int | None) -> bytes:
    """The next reply; Ctrl-C while waiting goes to the worker running the command."""
    while True:
        try:
            return replies.readline(4096)
        except KeyboardInterrupt:
            if worker is None:
                raise
            import signal
            try:
                os.kill(worker, signal.SIGINT)
            except OSError:
                pass
        except OSError:
            return b""


def start_in_background(force: bool = False) -> None:
    """Start a server for the next command (its imports then cost that one nothing);
    unless ``force``, not when one failed to start within the hour."""
    folder = paths.runtime_dir()
    if not folder or (_failed_lately(folder) and not force):
        return
    import subprocess
    try:
        subprocess.Popen([sys.executable, "-m", "lettersmith.server", "serve"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, cwd="/", start_new_session=True,
                         close_fds=True)
    except OSError:
        pass


def _failed_lately(folder: str) -> bool:
    """A server that could not start is not tried again for an hour."""
    import time
    try:
        return time.time() - os.stat(paths.path(folder, "failed")).st_mtime < 3600
    except OSError:
        return False
