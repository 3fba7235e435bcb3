"""``review --apply brief``: the reviewer's text into the brief that built the letter.

The brief is edited with ruamel.yaml's round trip, so its comments, key order and
quoting stay as the staff wrote them.  An edited block becomes the letter's own
text (``- text: |`` with ``from: <snippet id>``), an added paragraph a new text
block in place, a deleted block is removed (a comment says what was there); open
comments become YAML comments above the block.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..errors import LettersmithError
from ..library import Library
from .apply import (Plan, comment_lines, dash_offset, draft_sources, eol_comments, flat, literal,
                    new_markdown, round_trip_yaml, yaml_text)
from .compare import BlockChange, Review
from .files import FileChange
from .markup import Citations, block_markdown
from .model import RecordBlock


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
        new["text"] = literal(new_markdown(block, citations) or "")
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
            return literal(text)
        item["text"] = literal(text)
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
                new["text"] = literal(new_markdown(added, citations) or "")
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
            kept = eol_comments(body[index])
            if block.record and block.record.kind in ("argument", "quote"):
                lines.insert(0, f"edited in review of {source}; was {block.record.kind}: "
                                f"{block.record.id}" + (f"  ({kept})" if kept else ""))
            body[index] = _replacement(body[index], block, citations, plan.notes)
        if lines:
            body.yaml_set_comment_before_after_key(index, before="\n".join(lines), indent=indent)
    plan.notes.extend(_press_quotes(data, review))
    new_text = yaml_text(yaml, data)
    if new_text != text:
        plan.changes.append(FileChange(brief, text, new_text))
    draft_sources(plan, citations, library, source)
    return plan


def _describe(item: Any) -> str:
    if isinstance(item, dict):
        key = next(iter(item), "")
        value = flat(str(item.get(key, "")))
        return f"{key}: {value[:70]}{'…' if len(value) > 70 else ''}"
    return flat(str(item))[:70]


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


def _quoted(text: str) -> str:
    text = re.sub(r"[\u201c\u201d]", '"', re.sub(r"[\u2018\u2019]", "'", text))
    return " ".join(text.split()).rstrip(".")


def _press_quotes(data: Any, review: Review) -> list[str]:
    """Warnings for the release's quotations of the letter that the review changed
    (``press.letter-quotes``): build stops on words the letter no longer says."""
    press = data.get("press") if isinstance(data, dict) else None
    entries = press.get("letter-quotes") if isinstance(press, dict) else None
    if not isinstance(entries, list):
        return []
    letter = _quoted(" ".join(b.after for b in review.blocks))
    edited = {b.id for b in review.blocks if b.id and b.status != "unchanged"}
    out = []
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            continue
        if entry.get("words") and _quoted(str(entry["words"])) not in letter:
            out.append(f"press.letter-quotes item {n} quotes words the reviewed letter no longer "
                       f"says ({str(entry['words'])[:60]!r}): update them before the next build")
        elif entry.get("sentence") and entry.get("from") in edited:
            out.append(f"press.letter-quotes item {n} quotes sentence {entry['sentence']} of "
                       f"{entry['from']}, which the reviewer edited: check that it still says "
                       "what the release means")
    return out
