"""``review --html FILE``: a redline page to read side by side, one row per block:
the text lettersmith wrote (deletions struck through) | the reviewed text
(insertions underlined) | the comments on it.  Standalone: inline CSS, no scripts,
every piece of text escaped."""
from __future__ import annotations

import difflib
from html import escape

from .compare import BlockChange, NoteChange, Review, coalesce
from .model import RComment
from .report import counts

CSS = """
*{box-sizing:border-box}
body{font:15px/1.5 Georgia,serif;margin:0;color:#222;background:#f6f6f3}
header{padding:14px 24px;background:#fff;border-bottom:1px solid #ccc}
h1{font-size:19px;margin:0 0 4px} header p{margin:2px 0;color:#555;font:13px/1.4 sans-serif}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th{font:bold 12px sans-serif;text-transform:uppercase;color:#666;text-align:left;padding:8px 12px;
 background:#eee;position:sticky;top:0}
td{vertical-align:top;padding:8px 12px;border-top:1px solid #ddd;background:#fff}
td.margin{background:#fbfaf3;font:13px/1.4 sans-serif}
td,th{overflow-wrap:anywhere}
tr.label td{background:#f0f0ec;font:12px sans-serif;color:#444;padding:4px 12px}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-weight:bold;margin-right:6px}
.unchanged{background:#e4e4e4}.edited{background:#ffe9a8}.deleted{background:#f8c4c4}
.added{background:#c8ecc8}.removed{background:#f8c4c4}
del{color:#a00;background:#fde8e8;text-decoration:line-through}
ins{color:#060;background:#e3f6e3;text-decoration:underline}
p{margin:0 0 8px} .notes{font-size:13px;color:#444;border-top:1px dotted #bbb;margin-top:6px;
 padding-top:4px} .gone{color:#999;font-style:italic}
.comment{border-left:3px solid #e0b000;padding:2px 8px;margin:0 0 8px}
.comment.resolved{border-color:#aaa;color:#777} .who{font-weight:bold}
.anchor{background:#fff3b0} .reply{margin:4px 0 0 10px;border-left:2px solid #ddd;padding-left:6px}
"""


def _diff(before: str, after: str) -> tuple[str, str]:
    """(before with deletions marked, after with insertions marked), word by word."""
    old, new = before.split(), after.split()
    left: list[str] = []
    right: list[str] = []
    ops = coalesce(difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes())
    for tag, i1, i2, j1, j2 in ops:
        a, b = escape(" ".join(old[i1:i2])), escape(" ".join(new[j1:j2]))
        if tag == "equal":
            left.append(a)
            right.append(b)
            continue
        if a:
            left.append(f"<del>{a}</del>")
        if b:
            right.append(f"<ins>{b}</ins>")
    return " ".join(left), " ".join(right)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())


def _sides(before: str, after: str) -> tuple[str, str]:
    """Paragraph by paragraph where the counts agree, else the whole block at once."""
    old, new = before.split("\n"), after.split("\n")
    if len(old) != len(new):
        left, right = _diff(before.replace("\n", " \n "), after.replace("\n", " \n "))
        return f"<p>{left}</p>", f"<p>{right}</p>"
    pairs = [_diff(a, b) for a, b in zip(old, new)]
    return "".join(f"<p>{a}</p>" for a, _ in pairs), "".join(f"<p>{b}</p>" for _, b in pairs)


def _notes(notes: list[NoteChange]) -> tuple[str, str]:
    left, right = [], []
    for note in notes:
        was = escape(note.record.label) + ". " if note.record else ""
        now = f"{note.number}. " if note.number else ""
        badge = "" if note.status == "unchanged" else \
            f'<span class="badge {note.status}">{note.status}</span>'
        a, b = _diff(note.before, note.after)
        if note.record:
            left.append(f"<p>{was}{a}</p>")
        right.append(f"<p>{badge}{now}{b}</p>" if note.note else f'<p class="gone">{badge}{was}</p>')
    wrap = '<div class="notes">{}</div>'
    return (wrap.format("".join(left)) if left else "", wrap.format("".join(right)) if right else "")


def _comment(c: RComment, reply: bool = False) -> str:
    state = "resolved" if c.resolved else "open"
    head = f'<span class="who">{escape(c.author or "unknown")}</span> {escape(c.date[:10])}'
    if reply:
        return f'<div class="reply">{head}<br>{escape(c.text)}</div>'
    anchor = f'<br>on <span class="anchor">\u201c{escape(c.anchor)}\u201d</span>' if c.anchor else ""
    replies = "".join(_comment(r, True) for r in c.replies)
    return (f'<div class="comment {state}">{head} ({state}){anchor}<br>{escape(c.text)}'
            f"{replies}</div>")


def _row(n: int, block: BlockChange) -> str:
    what = escape(block.record.id or block.record.title or "") if block.record else ""
    label = (f'<tr class="label"><td colspan="3"><span class="badge {block.status}">{block.status}'
             f"</span>{n}. {escape(block.kind)} {what}</td></tr>")
    if block.status == "deleted":
        left, right = f"<del>{_paragraphs(escape(block.before))}</del>", '<p class="gone">deleted</p>'
    elif block.status == "added":
        left, right = '<p class="gone">new</p>', f"<ins>{_paragraphs(escape(block.after))}</ins>"
    else:
        left, right = _sides(block.before, block.after)
    notes_left, notes_right = _notes(block.notes)
    margin = "".join(_comment(c) for c in block.comments)
    return (label + f'<tr><td class="side">{left}{notes_left}</td><td class="side">{right}'
            f'{notes_right}</td><td class="margin">{margin}</td></tr>')


def redline_html(review: Review) -> str:
    """The whole page."""
    c = counts(review)
    title = f"Review of {review.doc.path}"
    rows = "".join(_row(n, b) for n, b in enumerate(review.blocks, 1))
    other = "".join(_comment(x) for x in review.other_comments)
    if other:
        rows += ('<tr class="label"><td colspan="3">comments outside the body</td></tr>'
                 f'<tr><td class="side"></td><td class="side"></td><td class="margin">{other}</td></tr>')
    mode = "rejected" if review.reject else "accepted"
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
            f"</title><style>{CSS}</style></head><body><header><h1>{escape(title)}</h1>"
            f"<p>Built from {escape(review.record.brief)} on {escape(review.record.built)}; "
            f"tracked changes {mode}.</p><p>{len(review.blocks)} blocks: {c['unchanged']} unchanged, "
            f"{c['edited']} edited, {c['deleted']} deleted, {c['added']} added. "
            f"<del>struck</del> = deleted, <ins>underlined</ins> = inserted.</p></header>"
            "<table><colgroup><col style=\"width:40%\"><col style=\"width:40%\"><col style=\"width:20%\">"
            "</colgroup><thead><tr><th>As lettersmith wrote it</th><th>As reviewed</th><th>Comments</th>"
            f"</tr></thead><tbody>{rows}</tbody></table></body></html>\n")
