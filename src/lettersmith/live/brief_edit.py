"""Adding a library item to a brief's ``body:`` with ruamel.yaml's round trip, so
the user's comments, quoting, flow lists and indentation are kept."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from ..errors import LettersmithError
from ..library import Item
from ..output import write_atomic

ADDABLE = ("argument", "quote", "fact")


def body_entry(item: Item) -> CommentedMap:
    """The body item that puts ``item`` in a letter."""
    if item.kind == "argument":
        return CommentedMap(argument=item.id)
    if item.kind == "quote":
        return CommentedMap(quote=item.id)
    if item.kind == "fact":
        return CommentedMap(text=f'{{{{ fact("{item.id}") }}}}')
    raise LettersmithError(f"a {item.kind} cannot be a block of the letter",
                           hint="add an argument, a quote or a fact")


def _yaml_like(text: str) -> tuple[YAML, Any]:
    """A round-trip YAML set to the file's own indentation, and the loaded file.

    The sequence indent is guessed by ruamel; the mapping indent is the one of
    2, 4 or 3 that writes the unchanged file back most nearly as it was.
    """
    _, seq_indent, offset = load_yaml_guess_indent(text)
    best: tuple[int, YAML, Any] | None = None
    for mapping in (2, 4, 3):
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096  # never re-wrap the user's long lines
        yaml.indent(mapping=mapping, sequence=seq_indent or 2, offset=offset or 0)
        data = yaml.load(text)
        out = io.StringIO()
        yaml.dump(data, out)
        changed = sum(a != b for a, b in zip(out.getvalue().splitlines(), text.splitlines()))
        if best is None or changed < best[0]:
            best = (changed, yaml, data)
        if not changed:
            break
    assert best is not None
    return best[1], best[2]


def add_to_brief(brief: Path, item: Item, after: int | None) -> int:
    """Insert ``item`` after body entry ``after`` (None: at the end); return its index.

    The brief is written atomically; nothing else is ever written.
    """
    text = brief.read_text(encoding="utf-8")
    try:
        yaml, data = _yaml_like(text)
    except YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise LettersmithError("the brief is not valid YAML, so nothing was added",
                               file=brief, line=mark.line + 1 if mark else None,
                               hint="fix and save the brief, then add the block again") from None
    if not isinstance(data, CommentedMap):
        raise LettersmithError("the brief is not a mapping of keys, so nothing was added",
                               file=brief)
    body = data.get("body")
    if body is None:
        body = data["body"] = CommentedSeq()
    if not isinstance(body, CommentedSeq):
        raise LettersmithError("body: is not a list, so nothing was added", file=brief,
                               hint="write body: as a list of items, '- argument: ID'")
    index = len(body) if after is None or not 0 <= after < len(body) else after + 1
    body.insert(index, body_entry(item))
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomic(brief, out.getvalue().encode("utf-8"))
    return index
