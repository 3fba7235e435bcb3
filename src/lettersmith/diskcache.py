"""The user's cache folder for work kept between runs (compiled templates, parsed
letters): ``$XDG_CACHE_HOME/lettersmith``, else ``~/.cache/lettersmith``;
``LETTERSMITH_NO_CACHE=1`` turns every such cache off.  A cache that cannot be
read or written is ignored, and entries are written atomically.
"""
from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path


def cache_dir(kind: str) -> Path | None:
    """The folder of one kind of cached work, or None when caching is off."""
    if os.environ.get("LETTERSMITH_NO_CACHE"):
        return None
    return _folder(kind, os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))


@functools.lru_cache(maxsize=16)
def _folder(kind: str, xdg: str | None, home: str | None) -> Path:
    del home  # a key only: expanduser reads it
    base = xdg or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lettersmith" / kind


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file, then a rename)."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:  # a full disk or a read-only cache: the work is simply not kept
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def stamp(files: list[Path], packages: tuple[str, ...] = ()) -> list[str] | None:
    """What a cached result depends on besides its input: the Python version, and
    the size and time of ``files`` and of ``packages``' ``__init__`` (an upgrade).
    None when one is missing (then nothing is cached)."""
    from importlib.machinery import PathFinder

    found = list(files)
    for package in packages:
        spec = PathFinder.find_spec(package)
        if spec is not None and spec.origin:
            found.append(Path(spec.origin))
    out = [sys.version]
    for source in found:
        try:
            info = source.stat()
        except OSError:
            return None
        out.append(f"{source}:{info.st_mtime_ns}:{info.st_size}")
    return out


def prune(folder: Path, keep: int, suffix: str) -> None:
    """Remove the oldest entries beyond ``keep``, once there are a quarter more (so a
    full cache is listed on each write, but sorted by age only now and then)."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(suffix)]
        if len(entries) <= keep + keep // 4:
            return
        entries.sort(key=lambda e: e.stat().st_mtime_ns)
        for old in entries[:-keep]:
            os.unlink(old.path)
    except OSError:
        pass
