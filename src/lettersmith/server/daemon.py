"""The server: warm once, then fork a worker per command.

One thread, one loop (:mod:`selectors`): new connections, and SIGCHLD through a
wake-up socket, after which finished workers are reaped and their exit status sent to
their callers.  The server stops after ``LETTERSMITH_SERVER_IDLE`` seconds (15
minutes) without a command, on ``lettersmith server stop`` or SIGTERM, and as soon as
its own code changed on disk (an upgrade): callers are then refused and run the
command themselves.
"""
from __future__ import annotations

import fcntl
import importlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
import time
from pathlib import Path

from . import hints, paths, worker
from .protocol import MAX_REQUEST, Request, length

WARM = ("lettersmith.cli", "lettersmith.build", "lettersmith.output", "lettersmith.history",
        "lettersmith.render", "lettersmith.parse", "lettersmith.yamlparse",
        "lettersmith.writers.docx", "lettersmith.writers.markdown", "lettersmith.writers.html",
        "lettersmith.writers.text", "lettersmith.press", "lettersmith.pdf",
        "lettersmith.merge.letters", "markdown_it", "yaml", "jinja2.sandbox", "sqlite3")


def warm() -> None:
    """Import what commands use, so a worker starts with it loaded."""
    from ..cli import LAZY_COMMANDS
    for name in (*WARM, *(module for module, _ in LAZY_COMMANDS.values())):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def code_stamps() -> dict[str, int]:
    """Modification times of lettersmith's loaded modules and of the import path's
    folders (a package installed or removed changes its folder)."""
    stamps = {}
    files = [getattr(module, "__file__", None) for module in list(sys.modules.values())]
    for name in [f for f in files if f and f.startswith(paths.PACKAGE)] + [
            p for p in sys.path if p and os.path.isdir(p)]:
        try:
            stamps[name] = os.stat(name).st_mtime_ns
        except OSError:
            stamps[name] = -1
    return stamps


class Server:
    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.where = paths.path(folder, "sock")
        self.children: dict[int, tuple[socket.socket, int]] = {}  # pid -> caller, hints pipe
        self.ahead: dict[str, object] = {}  # brief -> its letterhead and library's files then
        self.stopping = False
        self.served = 0
        self.started = time.time()
        self.last = time.monotonic()
        self.stamps: dict[str, int] = {}

    def bind(self) -> None:
        self.stamps = code_stamps()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            os.unlink(self.where)
        except FileNotFoundError:
            pass
        self.listener.bind(self.where)
        os.chmod(self.where, 0o600)
        self.listener.listen(64)
        self.inode = os.stat(self.where).st_ino
        _write_json(paths.path(self.folder, "json"),
                    {"pid": os.getpid(), "started": self.started, "python": sys.executable,
                     "package": paths.PACKAGE, "socket": self.where})

    def run(self) -> None:
        listener = self.listener
        wake_r, wake_w = socket.socketpair()
        wake_r.setblocking(False)
        wake_w.setblocking(False)
        signal.set_wakeup_fd(wake_w.fileno())
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, lambda *_: setattr(self, "stopping", True))
        signal.signal(signal.SIGINT, lambda *_: setattr(self, "stopping", True))
        selector = selectors.DefaultSelector()
        selector.register(listener, selectors.EVENT_READ, "accept")
        selector.register(wake_r, selectors.EVENT_READ, "wake")
        listening = True
        try:
            while True:
                if self.stopping and listening:
                    selector.unregister(listener)
                    self._unlink()
                    listener.close()
                    listening = False
                if self.stopping and not self.children:
                    return
                idle = paths.idle_seconds() - (time.monotonic() - self.last)
                if idle <= 0 and not self.children:
                    self.stopping = True
                    continue
                for key, _ in selector.select(timeout=max(idle, 0.05)):
                    if key.data == "accept":
                        try:
                            self._accept(listener, (selector, listener, wake_r, wake_w))
                        except Exception:  # one odd caller must not end the server
                            pass
                    else:
                        try:
                            wake_r.recv(4096)
                        except BlockingIOError:
                            pass
                self._reap()
        finally:
            if listening:
                self._unlink()

    def _unlink(self) -> None:
        """Remove the socket and the state file, unless a newer server has put its own
        there."""
        try:
            if os.stat(self.where).st_ino == self.inode:
                os.unlink(self.where)
            state = paths.path(self.folder, "json")
            with open(state, encoding="utf-8") as handle:
                if json.load(handle).get("pid") == os.getpid():
                    os.unlink(state)
        except (OSError, ValueError):
            pass

    def _accept(self, listener: socket.socket, own: tuple) -> None:  # type: ignore[type-arg]
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        fds: list[int] = []
        try:
            conn.settimeout(5)
            if not _same_user(conn):
                return conn.close()
            data, fds, _, _ = socket.recv_fds(conn, 65536, 8)
            if len(data) < 4 or length(data) > MAX_REQUEST:
                return _close(conn, fds)
            while len(data) < 4 + length(data):
                more = conn.recv(65536)
                if not more:
                    return _close(conn, fds)
                data += more
            request = Request.decode(data[4:4 + length(data)])
        except (OSError, ValueError, struct.error):
            return _close(conn, fds)
        if request.kind == "stop":
            self.stopping = True
            conn.sendall(b"stopping\n")
            return _close(conn, fds)
        if request.kind == "status":
            conn.sendall(json.dumps({"pid": os.getpid(), "started": self.started,
                                     "served": self.served, "running": len(self.children),
                                     "socket": self.where}).encode() + b"\n")
            return _close(conn, fds)
        if request.kind != "run" or len(fds) != 4:
            return _close(conn, fds)
        self.last = time.monotonic()  # a command, not a question about the server
        if self.stopping or code_stamps() != self.stamps:
            self.stopping = True  # new code on disk: the caller runs it, a new server starts
            conn.sendall(b"refuse stale\n")
            return _close(conn, fds)
        hints_r, hints_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(hints_r)
            os.close(hints_w)
            conn.sendall(b"refuse fork\n")
            return _close(conn, fds)
        if pid == 0:
            for thing in own:
                try:
                    thing.close()
                except OSError:
                    pass
            conn.close()
            os.close(hints_r)
            for _, other in self.children.values():
                os.close(other)
            signal.set_wakeup_fd(-1)
            worker.run(request, fds, hints_w)  # never returns
        os.close(hints_w)
        os.set_blocking(hints_r, False)
        for fd in fds:
            os.close(fd)
        self.served += 1
        self.children[pid] = (conn, hints_r)
        try:
            conn.sendall(f"pid {pid}\n".encode())
        except OSError:
            pass

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            child = self.children.pop(pid, None)
            if child is None:
                continue
            conn, hints_r = child
            code = os.waitstatus_to_exitcode(status)
            try:
                conn.sendall(f"exit {code}\n".encode())
            except OSError:
                pass
            conn.close()
            built = hints.receive(read_all(hints_r))
            os.close(hints_r)
            self._build_ahead(built)
            self.last = time.monotonic()

    def _build_ahead(self, built: list[dict[str, str | None]]) -> None:
        """Load what the worker used, for the next one: once per brief and state of
        its library's files (the caller has its answer already)."""
        from ..library import files_stamp
        for entry in built[:2]:
            library = entry.get("library")
            files = files_stamp(Path(library)) if library else ()
            stamp = (entry.get("letterhead"), files)
            if self.ahead.get(str(entry["brief"])) == stamp:
                continue
            if len(self.ahead) > 64:
                self.ahead.clear()
            self.ahead[str(entry["brief"])] = stamp
            try:
                hints.build_ahead(entry, files)
            except Exception:
                pass


def _same_user(conn: socket.socket) -> bool:
    """The caller runs as this user (Linux tells; elsewhere the folder's mode does)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1] == os.getuid()


def _close(conn: socket.socket, fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
    conn.close()


def read_all(fd: int, limit: int = 65536) -> bytes:
    """What ``fd`` gives until its end (or an error), at most about ``limit`` bytes."""
    data = b""
    while len(data) < limit:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def _write_json(path: str, data: dict) -> None:  # type: ignore[type-arg]
    tmp = f"{path}.{os.getpid()}"
    Path(tmp).write_text(json.dumps(data))
    os.replace(tmp, path)


def serve() -> int:
    """Run a server for this installation unless one runs already (exit 0 either way)."""
    folder = paths.runtime_dir()
    if not folder:
        return 1
    lock = open(paths.path(folder, "lock"), "a")
    deadline = time.monotonic() + 10  # a stale server may still be finishing its workers
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if time.monotonic() > deadline or _answers(folder):
                return 0
            time.sleep(0.1)
    failed = paths.path(folder, "failed")
    # Loading ahead runs a caller's templates in this process: a template that loops
    # is cut short sooner than in a command (workers take their caller's limit).
    os.environ["LETTERSMITH_TEMPLATE_SECONDS"] = "1"
    try:
        warm()
        import gc
        gc.freeze()  # the warm objects stay out of the collector: workers share their pages
        server = Server(folder)
        server.bind()
    except Exception as err:  # a broken installation: say so, and do not retry for a while
        Path(failed).write_text(f"{type(err).__name__}: {err}\n")
        return 1
    try:
        os.unlink(failed)
    except OSError:
        pass
    server.run()
    return 0


def _answers(folder: str) -> bool:
    from .control import ask
    return ask("status") is not None
