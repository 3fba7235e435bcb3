"""Adding a library item to a brief's ``body:`` with ruamel.yaml's round trip, so
the user's comments, quoting, flow lists and indentation are kept."""
from __future__ import annotations

import difflib
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


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _yaml_like(text: str) -> tuple[YAML, Any, str]:
    """A round-trip YAML set to the file's own indentation, the loaded file, and
    the file as that YAML writes it back unchanged.

    The sequence indent is guessed by ruamel; the mapping indent is the one of
    2, 4 or 3 that writes the unchanged file back most nearly as it was.
    """
    _, seq_indent, offset = load_yaml_guess_indent(text)
    best: tuple[int, YAML, Any, str] | None = None
    for mapping in (2, 4, 3):
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096  # never re-wrap the user's long lines
        yaml.indent(mapping=mapping, sequence=seq_indent or 2, offset=offset or 0)
        data = yaml.load(text)
        again = _dump(yaml, data)
        changed = sum(a != b for a, b in zip(again.splitlines(), text.splitlines()))
        if best is None or changed < best[0]:
            best = (changed, yaml, data, again)
        if not changed:
            break
    assert best is not None
    return best[1], best[2], best[3]


def _graft(text: str, before: str, after: str) -> str:
    """``text`` with the lines ruamel added between ``before`` and ``after`` (its
    dumps of the file unchanged and changed), at the matching place of ``text``.

    ruamel writes some things its own way (a flow mapping over two lines becomes
    one); grafting only the new lines keeps every other line of the user's file.
    Returns ``after`` when the change is not a pure insertion.
    """
    old, new, mine = before.splitlines(True), after.splitlines(True), text.splitlines(True)
    ops = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
           if op[0] != "equal"]
    if len(ops) != 1 or ops[0][0] != "insert":
        return after
    _, at, _, j1, j2 = ops[0]
    for tag, i1, i2, k1, _k2 in difflib.SequenceMatcher(None, old, mine,
                                                       autojunk=False).get_opcodes():
        if tag == "equal" and i1 <= at <= i2:
            place = k1 + at - i1
            break
    else:
        return after
    if place and not mine[place - 1].endswith("\n"):
        return after
    return "".join(mine[:place] + new[j1:j2] + mine[place:])


def add_to_brief(brief: Path, item: Item, after: int | None) -> int:
    """Insert ``item`` after body entry ``after`` (None: at the end); return its index.

    The brief is written atomically; nothing else is ever written.
    """
    text = brief.read_text(encoding="utf-8")
    try:
        yaml, data, unchanged = _yaml_like(text)
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
    changed = _dump(yaml, data)
    grafted = _graft(text, unchanged, changed)
    safe = YAML(typ="safe")
    if grafted != changed and safe.load(grafted) != safe.load(changed):
        grafted = changed  # the graft would mean something else: take ruamel's whole file
    write_atomic(brief, grafted.encode("utf-8"))
    return index
