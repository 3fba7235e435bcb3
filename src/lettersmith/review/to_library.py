"""``review --apply library``: an edited argument's snippet file gets the reviewer's
text (front matter kept byte for byte, template code kept), or with ``as_variant``
a new snippet beside it; refused when the snippet changed since the build, unless
``force``."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..errors import LettersmithError
from ..library import Library
from .apply import Plan, draft_sources, new_markdown, round_trip_yaml, yaml_text
from .compare import Review
from .files import FileChange
from .markup import Citations
from .record import item_hash

_FRONT = re.compile(r"---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|$)", re.S | re.M)


def plan_library(review: Review, citations: Citations, library: Library, *,
                 as_variant: bool = False, force: bool = False) -> Plan:
    """The snippet files of the edited arguments, updated or as new variants."""
    plan = Plan()
    source = Path(review.doc.path).name
    for block in review.blocks:
        record = block.record
        if block.status == "unchanged":
            continue
        if record is None or record.kind != "argument" or not record.id or block.status != "edited":
            what = f"{block.kind} {record.id if record and record.id else ''}".strip()
            plan.notes.append(f"{block.status} {what}: not a library snippet change "
                              "(--apply brief carries it into the letter's brief)")
            continue
        item = library.items.get(record.id)
        if item is None or item.kind != "argument":
            raise LettersmithError(f"the snippet {record.id!r} is no longer in the library",
                                   file=library.root / "snippets",
                                   hint="use --apply brief, or restore the snippet")
        recorded = review.record.snippet_hashes.get(record.id, "")
        if recorded and item_hash(item) != recorded and not (force or as_variant):
            raise LettersmithError(
                f"the snippet {record.id!r} has changed since the letter was built; "
                "the reviewer's text would overwrite those changes", file=library.display(item.file),
                hint="compare them by hand, use --as-variant to keep both, or --force")
        text = item.file.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        front = text[:match.end()] if match else ""
        body = new_markdown(block, citations, text[len(front):])
        if body is None and not as_variant:
            raise LettersmithError(
                f"the reviewer edited words of {record.id!r} that its template computes "
                "({{ ... }}), so they cannot be put back into the template",
                file=library.display(item.file),
                hint="use --as-variant to keep the reviewer's text as a new snippet beside it")
        if as_variant:
            body = new_markdown(block, citations) or ""
            plan.changes.append(_variant(item, library, front, body.strip() + "\n", source,
                                         review.record.built))
            continue
        new = front + (body or "").strip() + "\n"
        if new != text:
            plan.changes.append(FileChange(item.file, text, new))
            plan.replaced.append((record.id, item.file, text))
    draft_sources(plan, citations, library, source)
    return plan


def _variant(item: Any, library: Library, front: str, body: str, source: str, built: str) -> FileChange:
    """A new snippet beside ``item``: ``<id>-v2`` (the next free number), origin the review."""
    n = 2
    while f"{item.id}-v{n}" in library.items or item.file.with_name(f"{item.file.stem}-v{n}.md").exists():
        n += 1
    new_id = f"{item.id}-v{n}"
    yaml = round_trip_yaml(front)
    meta = yaml.load(_FRONT.match(front).group(1)) if front else None  # type: ignore[union-attr]
    if not isinstance(meta, CommentedMap):
        meta = CommentedMap()
    if "id" in meta:
        meta["id"] = new_id
    else:
        meta.insert(0, "id", new_id)
    origin = f"review of {source} ({dt.date.today().isoformat()}) of {item.id}" + \
        (f", built {built}" if built else "")
    meta["origin"] = origin
    text = "---\n" + yaml_text(yaml, meta) + "---\n" + body
    return FileChange(item.file.with_name(f"{item.file.stem}-v{n}.md"), None, text,
                      f"variant {new_id} of {item.id}")
