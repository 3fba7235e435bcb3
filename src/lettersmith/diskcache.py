"""The user's cache folder for work kept between runs (compiled templates, parsed
letters): ``$XDG_CACHE_HOME/lettersmith``, else ``~/.cache/lettersmith``;
``LETTERSMITH_NO_CACHE=1`` turns every such cache off.  A cache that cannot be
read or written is ignored, and entries are written atomically.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir(kind: str) -> Path | None:
    """The folder of one kind of cached work, or None when caching is off."""
    if os.environ.get("LETTERSMITH_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lettersmith" / kind


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file, then a rename)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        pass
