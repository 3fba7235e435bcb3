"""``review --apply brief|library``: the reviewer's text carried back as file changes.

Nothing is written here: each function returns the :class:`FileChange` list that
``files.write_changes`` writes after showing the diffs.

- ``brief``: the brief is edited with ruamel.yaml's round trip, so its comments,
  key order and quoting stay as the staff wrote them.  An edited block becomes
  the letter's own text (``- text: |`` with ``from: <snippet id>``), an added
  paragraph a new text block in place, a deleted block is removed (a comment
  says what was there); open comments become YAML comments above the block.
- ``library``: an edited argument's snippet file gets the new body (front matter
  kept byte for byte), or with ``as_variant`` a new file beside it; refused when
  the snippet changed since the build, unless ``force``.
"""
from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from ..errors import LettersmithError
from ..ingest.write import dump
from ..library import Library
from .compare import BlockChange, Review
from .files import FileChange, fresh_path
from .markup import Citations, block_markdown, guard_jinja
from .model import RComment, RecordBlock
from .patch import patch
from .record import item_hash


@dataclass
class Plan:
    changes: list[FileChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the user should know
    replaced: list[tuple[str, Path, str]] = field(default_factory=list)  # (id, file, old text)


# ------------------------------------------------------------------ YAML


def dash_offset(text: str) -> int:
    """How far ``text`` indents a list's dashes under their key (ruamel's ``offset``)."""
    match = re.search(r"^(\s*)\S[^\n]*:\s*(?:#.*)?\n(?:\s*#.*\n)*(\s*)- ", text, re.M)
    return max(0, len(match.group(2)) - len(match.group(1))) if match else 2


def round_trip_yaml(text: str) -> YAML:
    """A ruamel round-trip YAML that writes lists indented the way ``text`` does."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    offset = dash_offset(text)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def yaml_text(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _flat(text: str) -> str:
    return " ".join(text.split())


def comment_lines(comments: list[RComment], source: str) -> list[str]:
    """Open comments as lines for a YAML comment (resolved ones are left out)."""
    lines = []
    for c in comments:
        if c.resolved:
            continue
        when = f" ({c.date[:10]})" if c.date else ""
        lines.append(f"review of {source}: {c.author or 'someone'}{when} on \u201c{_flat(c.anchor)}\u201d: "
                     f"{_flat(c.text)}")
        lines.extend(f"  reply by {r.author or 'someone'}: {_flat(r.text)}" for r in c.replies)
    return lines


def _eol_comments(item: Any) -> str:
    """The end-of-line comments written on a brief item (kept when it is replaced)."""
    found = []
    if isinstance(item, CommentedMap):
        for tokens in item.ca.items.values():
            for token in tokens or []:
                if token is not None and hasattr(token, "value") and token.value.strip().startswith("#"):
                    found.append(token.value.strip().lstrip("#").strip())
    return "; ".join(f for f in found if f)


def _literal(text: str) -> LiteralScalarString:
    return LiteralScalarString(text.strip() + "\n")


def new_markdown(block: BlockChange, citations: Citations, template: str | None = None) -> str | None:
    """The block's Markdown after the review: the reviewer's words on the template's
    markup (``template`` defaults to what was rendered); None on a conflict."""
    new = "\n\n".join(block_markdown(citations, block.paras))
    rendered = block.record.source if block.record else ""
    if not rendered:
        return guard_jinja(new)
    if template is None:
        patched = patch(rendered, rendered, new)
        return guard_jinja(patched if patched is not None else new)
    return patch(template, rendered, new)


# ------------------------------------------------------------------ brief


def _fit(item: Any, record: RecordBlock) -> float:
    """How well a brief body item fits a record block: 0 when it cannot be the one
    (another kind or snippet), else how alike their words are (1 for a snippet)."""
    key = record.kind
    if isinstance(item, str):
        value: Any = item if key == "text" else None
    else:
        value = item.get(key) if isinstance(item, dict) else None
    if value is None:
        return 0.0
    if key in ("argument", "quote"):
        return 1.0 if str(value) == record.id else 0.0
    if isinstance(value, list):
        value = " ".join([str(item.get("intro", ""))] + [str(v) for v in value])
    said = _words(str(value))
    wrote = _words(record.source or " ".join(record.paragraphs))
    if said == wrote:
        return 1.0
    return difflib.SequenceMatcher(None, said, wrote, autojunk=False).ratio()


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _locate(body: list[Any], block: BlockChange, taken: set[int], brief: Path) -> int:
    """The index of the brief item a record block was built from: where it was,
    else the item that fits it best (a review applied before may have added items)."""
    record = block.record
    assert record is not None
    if record.item < len(body) and record.item not in taken and _fit(body[record.item], record) >= 0.5:
        return record.item
    fits = [(_fit(item, record), -abs(i - record.item), i) for i, item in enumerate(body)
            if i not in taken]
    best = max(fits, default=(0.0, 0, -1))
    if best[0] >= 0.5:
        return best[2]
    raise LettersmithError(
        f"the brief no longer has the {record.kind} the letter was built from"
        f"{' (' + record.id + ')' if record.id else ''} (body item {record.item + 1} then)",
        file=brief, hint="the brief has changed since the build (was this review applied already? "
                         "its <brief>.bak-N backups hold the earlier versions); point --brief at "
                         "the brief that built the letter")


def _replacement(item: Any, block: BlockChange, citations: Citations, notes: list[str]) -> Any:
    """The brief item that carries the block's reviewed text as the letter's own."""
    record = block.record
    assert record is not None
    paragraphs = block_markdown(citations, block.paras)
    if record.kind in ("argument", "quote"):
        new = CommentedMap()
        new["text"] = _literal(new_markdown(block, citations) or "")
        new["from"] = record.id
        return new
    if record.kind == "text":
        value = item if isinstance(item, str) else str(item.get("text", ""))
        text = new_markdown(block, citations, value)
        if text is None:
            text = new_markdown(block, citations) or ""
            notes.append(f"body item {record.item + 1}: the reviewer edited words its template "
                         "code computes, so the brief now holds that text as it was rendered")
        if isinstance(item, str):
            return _literal(text)
        item["text"] = _literal(text)
        return item
    if record.kind == "heading":
        item["heading"] = " ".join(paragraphs)
        return item
    if record.kind == "asks":
        asks = list(paragraphs)
        if item.get("intro") and asks:
            item["intro"] = asks.pop(0)
        item["asks"] = CommentedSeq(asks)
        return item
    return item


def plan_brief(review: Review, citations: Citations, brief: Path, library: Library) -> Plan:
    """The edited brief (and a drafted sources file when notes cite new sources)."""
    plan = Plan()
    try:
        text = brief.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LettersmithError("the brief that built this letter is not there", file=brief,
                               hint="point to it with --brief PATH") from None
    yaml = round_trip_yaml(text)
    try:
        data = yaml.load(text)
    except YAMLError as err:
        raise LettersmithError(f"the brief is not valid YAML: {err}", file=brief) from None
    body = data.get("body") if isinstance(data, dict) else None
    if not isinstance(body, list):
        raise LettersmithError("the brief has no body: list to carry the edits into", file=brief)
    source = Path(review.doc.path).name
    indent = dash_offset(text)

    def fresh(lines: list[str]) -> list[str]:
        """Comment lines the brief does not hold yet (applying a review twice adds none)."""
        return [line for line in lines if f"# {line}\n" not in text]

    # per brief item index: (the block, added blocks after it); -1 collects those before all
    after: dict[int, list[BlockChange]] = {}
    own: dict[int, BlockChange] = {}
    last = -1
    for block in review.blocks:
        if block.record is None:
            after.setdefault(last, []).append(block)
            continue
        last = _locate(body, block, set(own), brief)
        own[last] = block
    for index in sorted(set(own) | set(after), reverse=True):
        for added in reversed(after.get(index, [])):
            new = CommentedMap()
            if added.kind == "heading":
                new["heading"] = " ".join(block_markdown(citations, added.paras))
            else:
                new["text"] = _literal(new_markdown(added, citations) or "")
            nxt = body[index + 1] if index + 1 < len(body) else None
            if isinstance(nxt, dict) and all(str(nxt.get(k, "")).strip() == str(v).strip()
                                             for k, v in new.items()):
                continue  # this review was applied before: the paragraph is there already
            body.insert(index + 1, new)
            lines = [f"added in review of {source}"] + fresh(comment_lines(added.comments, source))
            body.yaml_set_comment_before_after_key(index + 1, before="\n".join(lines),
                                                   indent=indent)
        block = own.get(index)
        if block is None:
            continue
        lines = fresh(comment_lines(block.comments, source))
        if block.status == "deleted":
            was = _describe(body[index])
            del body[index]
            lines.insert(0, f"deleted in review of {source}: {was}")
            _comment_at(data, body, index, lines, indent)
            continue
        if block.status == "edited":
            kept = _eol_comments(body[index])
            if block.record and block.record.kind in ("argument", "quote"):
                lines.insert(0, f"edited in review of {source}; was {block.record.kind}: "
                                f"{block.record.id}" + (f"  ({kept})" if kept else ""))
            body[index] = _replacement(body[index], block, citations, plan.notes)
        if lines:
            body.yaml_set_comment_before_after_key(index, before="\n".join(lines), indent=indent)
    new_text = yaml_text(yaml, data)
    if new_text != text:
        plan.changes.append(FileChange(brief, text, new_text))
    _draft_sources(plan, citations, library, source)
    return plan


def _describe(item: Any) -> str:
    if isinstance(item, dict):
        key = next(iter(item), "")
        value = _flat(str(item.get(key, "")))
        return f"{key}: {value[:70]}{'…' if len(value) > 70 else ''}"
    return _flat(str(item))[:70]


def _comment_at(data: Any, body: Any, index: int, lines: list[str], indent: int) -> None:
    """Comment lines where item ``index`` was: above the next item, else above the next key."""
    if not lines:
        return
    if index < len(body):
        body.yaml_set_comment_before_after_key(index, before="\n".join(lines), indent=indent)
        return
    keys = list(data)
    following = keys[keys.index("body") + 1:] if "body" in keys else []
    if following:
        data.yaml_set_comment_before_after_key(following[0], before="\n".join(lines))


def _draft_sources(plan: Plan, citations: Citations, library: Library, source: str) -> None:
    if not citations.new_sources:
        return
    path = fresh_path(library.root.resolve() / "snippets" / "sources" / f"review-{Path(source).stem}.yaml")
    header = (f"# Drafted by 'lettersmith review' from the notes of {source}: the sources the\n"
              "# reviewer cited that the library did not have. Check every field before sending.\n")
    plan.changes.append(FileChange(path, None, header + dump({"sources": citations.new_sources}),
                                   "sources the reviewer's notes cite"))
    plan.notes.append(f"{len(citations.new_sources)} new source(s) drafted for review in {path}: "
                      + ", ".join(s["id"] for s in citations.new_sources))


# ------------------------------------------------------------------ library

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
    _draft_sources(plan, citations, library, source)
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
