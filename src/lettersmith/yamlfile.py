"""YAML that remembers where things were written and refuses duplicate keys.

Mappings load as :class:`LineDict` and sequences as :class:`LineList`; both carry
``line`` (1-based, where they start) and ``lines`` (the line of each key or item),
so every later error can name the line a user has to fix.

What a text loads to is kept on disk (``diskcache``, folder ``yaml``) keyed by the
text itself: a library read again (every ``build``) is unpickled, not parsed, and
PyYAML (``yamlparse``) is imported only for a text not seen before, or to report
a mistake (never cached).
"""
from __future__ import annotations

import functools
import hashlib
import pickle
from pathlib import Path
from typing import Any

from . import diskcache


class LineDict(dict):
    """A mapping with the source line of itself (``line``) and of each key (``lines``)."""

    line: int = 0
    lines: dict

    def line_of(self, key: object) -> int:
        return getattr(self, "lines", {}).get(key, self.line)


class YamlFields:
    """``get`` and ``line`` over an object's YAML mapping, ``self.data``."""

    data: LineDict

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def line(self, key: str) -> int:
        return self.data.line_of(key)


class LineList(list):
    """A sequence with the source line of itself (``line``) and of each item (``lines``)."""

    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        lines = getattr(self, "lines", [])
        return lines[index] if 0 <= index < len(lines) else self.line


_MAX_ENTRIES = 4096  # loaded texts kept on disk; the oldest go first


@functools.lru_cache(maxsize=1)
def _stamp() -> tuple[str, ...] | None:
    here = Path(__file__)
    found = diskcache.stamp([here, here.with_name("yamlparse.py")], ("yaml",))
    return tuple(found) if found is not None else None


def _disk_key(text: str) -> Path | None:
    folder = diskcache.cache_dir("yaml")
    stamp = _stamp()
    if folder is None or stamp is None:
        return None
    return folder / f"{hashlib.sha256(chr(0).join([*stamp, text]).encode()).hexdigest()}.pickle"


def load_yaml(text: str, file: str | Path, first_line: int = 1) -> Any:
    """Parse YAML ``text`` from ``file``; errors name the file and line.

    ``first_line`` is the line of ``file`` the text starts on (for front matter).
    """
    offset = first_line - 1
    path = _disk_key(text)
    cached = diskcache.read(path) if path is not None else None
    data: Any = None
    if cached is not None:
        try:
            data = pickle.loads(cached)
        except Exception:  # noqa: BLE001 - a damaged entry is loaded afresh
            cached = None
    if cached is None:
        from .yamlparse import parse

        data = parse(text, file, offset)
        if path is not None:
            diskcache.write(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
            diskcache.prune(path.parent, _MAX_ENTRIES, ".pickle")
    if offset:
        _shift(data, offset)
    return data


def _shift(data: Any, offset: int) -> None:
    """Move every recorded line by ``offset`` (each shared alias target once)."""
    seen: set[int] = set()
    todo = [data]
    while todo:
        item = todo.pop()
        if not isinstance(item, (LineDict, LineList)) or id(item) in seen:
            continue
        seen.add(id(item))
        item.line += offset
        if isinstance(item, LineDict):
            item.lines = {k: v + offset for k, v in item.lines.items()}
            todo.extend(item.values())
        else:
            item.lines = [v + offset for v in item.lines]
            todo.extend(item)


def line_of(container: Any, key: object, default: int | None = None) -> int | None:
    """The line of ``key`` in a LineDict/LineList, or ``default``."""
    if isinstance(container, LineDict):
        return container.line_of(key)
    if isinstance(container, LineList) and isinstance(key, int):
        return container.line_of(key)
    return getattr(container, "line", default) or default
