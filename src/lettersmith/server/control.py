"""``lettersmith server start|stop|status``: talk to this installation's server."""
from __future__ import annotations

import json
import socket
import time
from typing import Any

from . import paths
from .protocol import Request


def ask(kind: str) -> Any | None:
    """Send a ``stop`` or ``status`` request; the answer, or None when no server runs."""
    folder = paths.runtime_dir()
    if not folder:
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(paths.path(folder, "sock"))
            sock.sendall(Request(kind).encode())
            line = sock.makefile("rb").readline()
    except OSError:
        return None
    if not line:
        return None
    return json.loads(line) if kind == "status" else line.decode().strip()


def start(wait: float = 20.0) -> Any | None:
    """Start a server in the background (unless one runs) and wait until it answers."""
    from .client import start_in_background
    found = ask("status")
    if found is not None:
        return found
    start_in_background(force=True)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        found = ask("status")
        if found is not None:
            return found
        time.sleep(0.05)
    return None


def stop(wait: float = 20.0) -> bool:
    """Ask the server to stop; True once it has (or none was running)."""
    if ask("stop") is None:
        return True
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if ask("status") is None:
            return True
        time.sleep(0.05)
    return False
