"""What a reviewer changed, block by block: a mapped :class:`ReviewedDoc` against
the :class:`BuildRecord` lettersmith embedded when it built the letter.

Words inserted and deleted come from two places: tracked changes (the ``ins``/
``del`` segments the reader found) and untracked edits (a word-level diff of the
text lettersmith wrote against the file's text before its tracked changes).
With ``reject`` the text is taken as it was before the tracked changes, so only
the untracked edits count.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .model import (BuildRecord, RComment, RecordBlock, RecordNote, ReviewedDoc, RNote, RPara,
                    Segment)

# Paragraph styles of the letter around the body (date, address, closing, signatures ...).
_BODY_LETTER_STYLES = {"letterlist", "letterquote"}


@dataclass
class Change:
    """Words inserted or deleted; ``tracked`` when they came from a tracked change."""

    kind: str  # ins | del
    text: str
    tracked: bool
    author: str = ""
    date: str = ""
    at: int = 0  # word position in the text before the tracked changes (for ordering)


@dataclass
class NoteChange:
    """One note of a block: ``unchanged``, ``edited``, ``added`` or ``removed``."""

    status: str
    number: int | None  # its number in the reviewed letter (None when removed)
    record: RecordNote | None
    note: RNote | None
    before: str
    after: str
    changes: list[Change] = field(default_factory=list)
    index: int | None = None  # position in the record block's notes


@dataclass
class BlockChange:
    status: str  # unchanged | edited | deleted | added
    record: RecordBlock | None
    index: int | None  # into BuildRecord.blocks; None when added
    paras: list[RPara] = field(default_factory=list)
    before: str = ""
    after: str = ""
    changes: list[Change] = field(default_factory=list)
    notes: list[NoteChange] = field(default_factory=list)
    comments: list[RComment] = field(default_factory=list)
    style: str = ""

    @property
    def id(self) -> str | None:
        return self.record.id if self.record else None

    @property
    def kind(self) -> str:
        if self.record:
            return self.record.kind
        style = _style_key(self.style)
        return "heading" if style.startswith("heading") else "asks" if "list" in style else "text"


@dataclass
class Review:
    doc: ReviewedDoc
    record: BuildRecord
    blocks: list[BlockChange]
    reject: bool = False
    other_comments: list[RComment] = field(default_factory=list)  # outside the body
    note_numbers: dict[str, int] = field(default_factory=dict)  # RNote.id -> number in the letter

    def taken(self, segments: list[Segment]) -> list[Segment]:
        """The segments that make the text taken (accepted, or rejected with ``reject``)."""
        drop = "ins" if self.reject else "del"
        return [s for s in segments if s.kind != drop]


# ------------------------------------------------------------------ words


def norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _words(text: str) -> list[str]:
    return text.replace("\u00a0", " ").split()


def coalesce(ops: list[tuple[str, int, int, int, int]], gap: int = 3
              ) -> list[tuple[str, int, int, int, int]]:
    """Edits separated by ``gap`` words or fewer read as one rewrite, not a word salad."""
    out: list[tuple[str, int, int, int, int]] = []
    for op in ops:
        if op[0] == "equal" and 0 < len(out) and op[2] - op[1] <= gap and op is not ops[-1]:
            out.append(op)
            continue
        if op[0] != "equal" and len(out) >= 2 and out[-1][0] == "equal" and out[-2][0] != "equal" \
                and out[-1][2] - out[-1][1] <= gap:
            first = out[-2]
            out[-2:] = [("replace", first[1], op[2], first[3], op[4])]
            continue
        if op[0] != "equal" and out and out[-1][0] != "equal":
            first = out[-1]
            out[-1] = ("replace", first[1], op[2], first[3], op[4])
            continue
        out.append(op)
    return out


def word_changes(before: str, segments: list[Segment], reject: bool = False) -> tuple[list[Change], str]:
    """The changes from ``before`` to the text of ``segments`` and that text.

    Untracked edits are the diff of ``before`` against the text before tracked
    changes; tracked ones are the ``ins``/``del`` segments themselves (left out
    with ``reject``, since rejecting them undoes them)."""
    original = "".join(s.text for s in segments if s.kind != "ins" and s.note is None)
    after = "".join(s.text for s in segments if s.kind != ("ins" if reject else "del") and s.note is None)
    changes: list[Change] = []
    old, new = _words(before), _words(original)
    for tag, i1, i2, j1, j2 in coalesce(difflib.SequenceMatcher(None, old, new,
                                                                 autojunk=False).get_opcodes()):
        if tag in ("delete", "replace"):
            changes.append(Change("del", " ".join(old[i1:i2]), False, at=j1))
        if tag in ("insert", "replace"):
            changes.append(Change("ins", " ".join(new[j1:j2]), False, at=j1))
    if not reject:
        seen, previous, raw = "", None, ""  # original text so far; the tracked change just before
        for seg in segments:
            if seg.note is not None:
                continue
            if seg.kind in ("ins", "del") and seg.text.strip():
                if previous and previous.kind == seg.kind and previous.author == seg.author:
                    raw += seg.text  # one change split over runs (a word may be split too)
                    previous.text = norm(raw)
                else:
                    raw = seg.text
                    previous = Change(seg.kind, norm(raw), True, seg.author, seg.date,
                                      at=len(_words(seen)))
                    changes.append(previous)
            elif seg.text.strip():
                previous = None
            if seg.kind != "ins":
                seen += seg.text
    changes.sort(key=lambda c: c.at)
    return [c for c in changes if c.text], after


# ------------------------------------------------------------------ notes


def _similarity(a: str, b: str) -> float:
    """How alike two notes read: the share of words in common, in order."""
    if norm(a) == norm(b):
        return 1.0
    return difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()


def align_notes(record: list[RecordNote], found: list[str]) -> list[tuple[int | None, int | None]]:
    """Pairs (record index, found index) in order, by the most similar text
    (0.5 or more), unpaired ones on their own: a note-level edit distance."""
    n, m = len(record), len(found)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims = [[_similarity(r.text, f) for f in found] for r in record]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            pair = score[i + 1][j + 1] + sims[i][j] if sims[i][j] >= 0.5 else -1.0
            score[i][j] = max(pair, score[i + 1][j], score[i][j + 1])
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and sims[i][j] >= 0.5 and score[i][j] == score[i + 1][j + 1] + sims[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif i < n and (j == m or score[i][j] == score[i + 1][j]):
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    return pairs


def _notes_of(review: Review, paras: list[RPara], record: RecordBlock | None) -> list[NoteChange]:
    refs = [s.note for p in paras for s in review.taken(p.segments) if s.note is not None]
    notes = [review.doc.notes.get(ref) or RNote(ref) for ref in refs]
    texts = [_note_text(n, review.reject) for n in notes]
    wrote = record.notes if record else []
    out: list[NoteChange] = []
    for ri, fi in align_notes(wrote, texts):
        rec = wrote[ri] if ri is not None else None
        note = notes[fi] if fi is not None else None
        number = review.note_numbers.get(note.id) if note else None
        if note is None:
            out.append(NoteChange("removed", None, rec, None, rec.text if rec else "", "", index=ri))
            continue
        changes, after = word_changes(rec.text if rec else "", note.segments, review.reject)
        if rec is None:
            status = "added"
        else:
            status = "unchanged" if norm(after) == norm(rec.text) else "edited"
        out.append(NoteChange(status, number, rec, note, rec.text if rec else "", after,
                              changes if status != "unchanged" else [], index=ri))
    return out


def _note_text(note: RNote, reject: bool) -> str:
    return note.rejected() if reject else note.accepted()


# ------------------------------------------------------------------ blocks


def _style_key(style: str) -> str:
    return re.sub(r"[\s_-]", "", style).lower()


def _furniture(para: RPara) -> bool:
    key = _style_key(para.style)
    return key.startswith("letter") and key not in _BODY_LETTER_STYLES


def _joined(paras: list[RPara]) -> list[Segment]:
    segments: list[Segment] = []
    for n, para in enumerate(paras):
        if n:
            segments.append(Segment("same", "\n"))
        segments.extend(para.segments)
    return segments


def _empty(para: RPara) -> bool:
    return not para.accepted().strip() and not para.rejected().strip() and not para.note_ids()


def compare(doc: ReviewedDoc, reject: bool = False) -> Review:
    """Every block of the record in letter order, with what the reviewer did to it."""
    if doc.record is None:
        raise ValueError("compare() needs a ReviewedDoc with its BuildRecord")
    review = Review(doc, doc.record, [], reject)
    number = 0
    for para in doc.paragraphs:
        for seg in review.taken(para.segments):
            if seg.note is not None and seg.note not in review.note_numbers:
                number += 1
                review.note_numbers[seg.note] = number
    mapped = [p for p in doc.paragraphs if p.block is not None]
    by_block: dict[int, list[RPara]] = {}
    for para in mapped:
        by_block.setdefault(para.block, []).append(para)  # type: ignore[arg-type]
    body = _body_range(doc.paragraphs)
    order: list[BlockChange] = []
    done: set[int] = set()
    para_block: dict[int, BlockChange] = {}

    def emit_record(upto: int) -> None:
        for index in range(upto + 1):
            if index not in done:
                done.add(index)
                change = _block(review, index, by_block.get(index, []))
                order.append(change)
                for p in change.paras:
                    para_block[p.index] = change

    for pos, para in enumerate(doc.paragraphs):
        if para.block is not None:
            emit_record(para.block)
        elif pos in body and not _empty(para) and not _furniture(para):
            added = _added(review, para)
            if added is not None:
                order.append(added)
                para_block[para.index] = added
    emit_record(len(review.record.blocks) - 1)
    for comment in doc.comments:
        if _own(comment):
            continue
        owner = next((para_block[i] for i in comment.paragraphs if i in para_block), None)
        (owner.comments if owner else review.other_comments).append(comment)
    review.blocks = order
    return review


def _own(comment: RComment) -> bool:
    """A comment ``build --review`` wrote (writers/docx/provenance.py: author "lettersmith",
    "Snippet: <id>" ...) that no one has answered: provenance, not a reviewer's remark."""
    return comment.author == "lettersmith" and comment.text.startswith("Snippet: ") \
        and not comment.replies


def _body_range(paras: list[RPara]) -> set[int]:
    """Positions of paragraphs between the letter parts that frame the body."""
    mapped = [i for i, p in enumerate(paras) if p.block is not None]
    if not mapped:
        return set()
    start = mapped[0]
    if not any(_furniture(p) for p in paras):  # no letter styles (text pasted elsewhere):
        return set(range(start, mapped[-1] + 1))  # only what lies between found blocks
    while start > 0 and not _furniture(paras[start - 1]):
        start -= 1
    end = mapped[-1]
    while end + 1 < len(paras) and not _furniture(paras[end + 1]):
        end += 1
    return set(range(start, end + 1))


def _block(review: Review, index: int, paras: list[RPara]) -> BlockChange:
    record = review.record.blocks[index]
    before = "\n".join(record.paragraphs)
    notes = _notes_of(review, paras, record)
    if not paras:
        return BlockChange("deleted", record, index, [], before, "",
                           [Change("del", norm(before), False)] if before.strip() else [],
                           [NoteChange("removed", None, n, None, n.text, "", index=i)
                            for i, n in enumerate(record.notes)])
    changes, after = word_changes(before, _joined(paras), review.reject)
    if not after.strip():
        status = "deleted"
        notes = [NoteChange("removed", None, n, None, n.text, "", index=i)
                 for i, n in enumerate(record.notes)]
    elif norm(after) == norm(before) and all(n.status == "unchanged" for n in notes) \
            and _kept(review, paras) == len(record.paragraphs):  # a split or join is an edit
        status = "unchanged"
    else:
        status = "edited"
    return BlockChange(status, record, index, paras, before, after,
                       changes if status != "unchanged" else [], notes,
                       style=paras[0].style if paras else "")


def _kept(review: Review, paras: list[RPara]) -> int:
    """How many of ``paras`` still have text once the tracked changes are taken."""
    return sum(1 for p in paras if "".join(s.text for s in review.taken(p.segments)).strip())


def _added(review: Review, para: RPara) -> BlockChange | None:
    changes, after = word_changes("", para.segments, review.reject)
    if not after.strip():
        return None  # a tracked insertion the reviewer's text does not keep (--reject)
    notes = _notes_of(review, [para], None)
    return BlockChange("added", None, None, [para], "", after, changes, notes, style=para.style)
