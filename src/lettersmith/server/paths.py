"""Where the server of this installation listens, and whether one may be used.

Imported by every command before anything else, so it uses only modules Python has
loaded at start-up already.
"""
from __future__ import annotations

import binascii
import os
import stat
import sys

ENV = "LETTERSMITH_SERVER"
IDLE_ENV = "LETTERSMITH_SERVER_IDLE"
IDLE_SECONDS = 15 * 60
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_OFF = ("0", "off", "no", "false")


def enabled() -> bool:
    """On unless ``LETTERSMITH_SERVER`` says 0/off, on systems with fork and Unix sockets."""
    if os.environ.get(ENV, "").strip().lower() in _OFF:
        return False
    return hasattr(os, "fork") and sys.platform != "win32"


def idle_seconds() -> float:
    try:
        return float(os.environ.get(IDLE_ENV, IDLE_SECONDS))
    except ValueError:
        return IDLE_SECONDS


def runtime_dir() -> str | None:
    """A folder only this user can use, short enough for a Unix socket's path:
    ``$XDG_RUNTIME_DIR/lettersmith``, else ``$TMPDIR/lettersmith-UID``; None when
    neither will do (then no server)."""
    if not hasattr(os, "getuid"):
        return None
    uid = os.getuid()
    candidates = []
    if os.environ.get("XDG_RUNTIME_DIR"):
        candidates.append(os.path.join(os.environ["XDG_RUNTIME_DIR"], "lettersmith"))
    candidates.append(os.path.join(os.environ.get("TMPDIR") or "/tmp", f"lettersmith-{uid}"))
    for folder in candidates:
        if len(os.fsencode(path(folder, "sock"))) >= 100:
            continue
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError:
            continue
        try:
            info = os.lstat(folder)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o077:
            return folder
    return None


def key() -> str:
    """One server per Python and lettersmith installation."""
    text = f"{sys.executable}\0{PACKAGE}\0{sys.version}"
    return f"{binascii.crc32(text.encode('utf-8', 'surrogateescape')):08x}"


def path(folder: str, suffix: str) -> str:
    """``sock`` (the socket), ``lock``, ``json`` (pid and start time), ``failed``."""
    return os.path.join(folder, f"server-{key()}.{suffix}")
