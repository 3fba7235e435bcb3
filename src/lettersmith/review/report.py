"""A review as JSON (for scripts) and as a report a person reads in a terminal."""
from __future__ import annotations

import textwrap
from typing import Any

from ..model import format_number
from .compare import BlockChange, Change, NoteChange, Review
from .model import RComment


def _words(changes: list[Change], kind: str) -> list[str]:
    return [c.text for c in changes if c.kind == kind]


def comment_json(comment: RComment) -> dict[str, Any]:
    return {"author": comment.author, "date": comment.date, "anchor": comment.anchor,
            "text": comment.text, "resolved": comment.resolved,
            "replies": [comment_json(r) for r in comment.replies]}


def note_json(note: NoteChange) -> dict[str, Any]:
    return {"status": note.status, "number": note.number,
            "was": note.record.label if note.record else None,
            "before": note.before, "after": note.after,
            "inserted": _words(note.changes, "ins"), "deleted": _words(note.changes, "del")}


def block_json(block: BlockChange) -> dict[str, Any]:
    return {
        "id": block.id, "kind": block.kind, "status": block.status,
        "title": block.record.title if block.record else "",
        "inserted": _words(block.changes, "ins"), "deleted": _words(block.changes, "del"),
        "tracked": [{"kind": c.kind, "text": c.text, "author": c.author, "date": c.date}
                    for c in block.changes if c.tracked],
        "notes": [note_json(n) for n in block.notes if n.status != "unchanged"],
        "comments": [comment_json(c) for c in block.comments],
        "text": block.after,
        "mapped_by": next((p.mapped_by for p in block.paras if p.mapped_by), None),
    }


def review_json(review: Review) -> dict[str, Any]:
    """The one object ``review --json`` prints."""
    return {"file": review.doc.path, "brief": review.record.brief,
            "tracked_changes": "rejected" if review.reject else "accepted",
            "blocks": [block_json(b) for b in review.blocks],
            "comments": [comment_json(c) for c in review.other_comments]}


def label_like(number: int, review: Review) -> str:
    """A note number written the way the letter numbers its notes (3, iii or III)."""
    labels = [n.label for b in review.record.blocks for n in b.notes if n.label]
    style = "arabic" if not labels or labels[0].isdigit() else \
        "lower-roman" if labels[0].islower() else "upper-roman"
    return format_number(number, style)


def counts(review: Review) -> dict[str, int]:
    out = {"unchanged": 0, "edited": 0, "deleted": 0, "added": 0}
    for block in review.blocks:
        out[block.status] += 1
    return out


def _comment_count(review: Review) -> str:
    every = [c for b in review.blocks for c in b.comments] + review.other_comments
    open_ = sum(1 for c in every if not c.resolved)
    return f"{len(every)} comment(s): {open_} open, {len(every) - open_} resolved"


def _label(block: BlockChange) -> str:
    if block.record is None:
        return f"new {block.kind}"
    what = block.record.id or _short(block.record.title or block.before, 50)
    return f"{block.kind} {what}"


def _quoted(text: str, width: int = 96, indent: str = "      ") -> str:
    return textwrap.fill(f"\u201c{text}\u201d", width, initial_indent=indent, subsequent_indent=indent)


def _comment_lines(comment: RComment, indent: str = "    ") -> list[str]:
    state = "resolved" if comment.resolved else "open"
    head = f"{indent}comment by {comment.author or 'unknown'}"
    head += f", {comment.date[:10]}" if comment.date else ""
    lines = [f"{head} ({state}) on \u201c{_short(comment.anchor)}\u201d:",
             textwrap.fill(comment.text, 96, initial_indent=indent + "  ",
                           subsequent_indent=indent + "  ")]
    for reply in comment.replies:
        lines.append(f"{indent}  reply by {reply.author or 'unknown'}: {reply.text}")
    return lines


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "\u2026"


def review_text(review: Review) -> str:
    """The terminal report: a summary line, then one entry per block in letter order."""
    c = counts(review)
    lines = [f"{review.doc.path}: built from {review.record.brief}",
             f"{len(review.blocks)} blocks: {c['unchanged']} unchanged, {c['edited']} edited, "
             f"{c['deleted']} deleted, {c['added']} added; tracked changes "
             + ("rejected" if review.reject else "accepted"),
             _comment_count(review), ""]
    for n, block in enumerate(review.blocks, 1):
        lines.append(f"{n:>3}. {block.status.upper():<9} {_label(block)}")
        if block.status == "unchanged" and not block.comments:
            continue
        for change in block.changes:
            sign = "+" if change.kind == "ins" else "-"
            how = f"tracked, {change.author}" if change.tracked else "untracked"
            if block.status in ("deleted", "added") and not change.tracked:
                continue
            lines.append(f"    {sign} ({how})")
            lines.append(_quoted(change.text))
        if block.status == "added":
            lines.append(_quoted(block.after))
        for note in block.notes:
            if note.status == "unchanged":
                continue
            shown = label_like(note.number, review) if note.number else ""
            where = f"note {shown}" if shown else f"note {note.record.label}" \
                if note.record else "a note"
            was = f" (was {note.record.label})" if note.record and shown \
                and shown != note.record.label else ""
            lines.append(f"    {where}{was} {note.status}")
            if note.status == "added":
                lines.append(_quoted(note.after))
            for change in note.changes if note.status == "edited" else []:
                sign = "+" if change.kind == "ins" else "-"
                how = f"tracked, {change.author}" if change.tracked else "untracked"
                lines.append(f"      {sign} ({how}) \u201c{change.text}\u201d")
        for comment in block.comments:
            lines.extend(_comment_lines(comment))
    if review.other_comments:
        lines.append("")
        lines.append("comments outside the body of the letter:")
        for comment in review.other_comments:
            lines.extend(_comment_lines(comment))
    return "\n".join(lines)
