"""Parsing a letter's Markdown block by block, each block's parse kept.

A merge renders the same brief for every recipient: the address and salutation
change, the argument blocks mostly do not.  The letter is cut at blank lines
between top-level blocks (never inside a ``:::`` part, a list, an indented
continuation or a code fence) and each piece is parsed once per process; a
cached piece is deep-copied (the citation pass changes the tree) and its
citation line numbers moved to where the piece sits in this letter.  Text with
reference definitions (``[^1]:``, ``[x]: url``) or code fences is parsed whole,
as before.

A process's first letter is also looked up on disk (``diskcache``, folder
``parse``), keyed by its whole text and the parser's files: a ``build`` of a
letter parsed before neither imports markdown-it-py nor builds its parser, a
sixth of a one-letter command's time.  Once the parser is built in a process,
the disk is no longer used (a merge writes one entry, not one per letter).
"""
from __future__ import annotations

import hashlib
import pickle
import re
from collections import OrderedDict
from pathlib import Path

from . import diskcache
from . import model as m
from .model import clone
from .parse import markdown, parse_markdown

_CACHE: OrderedDict[str, list[m.Block]] = OrderedDict()
_CACHE_SIZE = 512  # pieces; bounded so a long merge's memory stays flat
_SEEN: OrderedDict[int, None] = OrderedDict()  # pieces parsed once: kept on a second sighting
_WHOLE = re.compile(r"^\s{0,3}(\[[^\]]+\]:|```|~~~)", re.M)
_OPEN = re.compile(r"^:{3,}\s*\S")
_CLOSE = re.compile(r"^:{3,}\s*$")
_LIST = re.compile(r"^\s{0,3}(\d{1,9}[.)]|[-+*])(\s|$)")


def pieces(text: str) -> list[tuple[int, str]] | None:
    """(first line index, text) of each top-level piece, or None to parse whole."""
    if _WHOLE.search(text):
        return None
    lines = text.split("\n")
    out: list[tuple[int, list[str]]] = []
    depth, blank = 0, False
    for index, line in enumerate(lines):
        if not line.strip():
            blank = True
            if out:
                out[-1][1].append(line)
            continue
        starts_new = (not out or (blank and depth == 0 and not line[:1].isspace()
                                  and not (_LIST.match(line) and any(_LIST.match(ln) for ln in out[-1][1]))))
        if starts_new:
            out.append((index, [line]))
        else:
            out[-1][1].append(line)
        blank = False
        if _CLOSE.match(line):
            depth = max(0, depth - 1)
        elif _OPEN.match(line):
            depth += 1
    return [(start, "\n".join(body).rstrip("\n") + "\n") for start, body in out]


def _admit(piece: str) -> bool:
    """True the second time ``piece`` is seen (the first sightings are remembered,
    boundedly, by hash)."""
    key = hash(piece)
    if key in _SEEN:
        return True
    _SEEN[key] = None
    if len(_SEEN) > 4 * _CACHE_SIZE:
        _SEEN.popitem(last=False)
    return False


_MAX_ENTRIES = 256  # parsed letters kept on disk; the oldest go first


def _disk_key(text: str) -> Path | None:
    """Where the parse of ``text`` is kept, or None when caching is off."""
    folder = diskcache.cache_dir("parse")
    here = Path(__file__)
    stamp = diskcache.stamp([here.with_name(n) for n in ("parse.py", "typography.py", "model.py",
                                                         here.name)],
                            ("markdown_it", "mdit_py_plugins"))
    if folder is None or stamp is None:
        return None
    digest = hashlib.sha256("\0".join([*stamp, text]).encode()).hexdigest()
    return folder / f"{digest}.pickle"


def parse_letter(text: str) -> list[m.Block]:
    """The same blocks as ``parse_markdown(text)``, from cached pieces (and, for a
    process's first letter, from the disk)."""
    if markdown.cache_info().currsize:  # the parser is built: parsing is cheap now
        return _parse_letter(text)
    path = _disk_key(text)
    data = diskcache.read(path) if path is not None else None
    if data is not None:
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - a damaged entry is parsed afresh
            pass
    blocks = _parse_letter(text)
    if path is not None:
        diskcache.write(path, pickle.dumps(blocks, protocol=pickle.HIGHEST_PROTOCOL))
        diskcache.prune(path.parent, _MAX_ENTRIES, ".pickle")
    return blocks


def _parse_letter(text: str) -> list[m.Block]:
    found = pieces(text)
    if found is None:
        return parse_markdown(text)
    blocks: list[m.Block] = []
    for start, piece in found:
        parsed = _CACHE.get(piece)
        if parsed is not None:
            _CACHE.move_to_end(piece)
            fresh = clone(parsed)
        elif _admit(piece):  # seen before: keep it (an address, seen once, is not kept)
            parsed = _CACHE[piece] = parse_markdown(piece)
            if len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
            fresh = clone(parsed)
        else:
            fresh = parse_markdown(piece)
        if start:
            for node in m.walk(fresh):
                if isinstance(node, m.Cite) and node.line is not None:
                    node.line += start
        blocks.extend(fresh)
    return blocks
