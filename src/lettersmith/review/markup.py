"""The reviewer's text back to lettersmith Markdown, notes back to citations.

A note that still reads as lettersmith wrote it becomes its citation again
(exactly the ``[@id, at 5]`` or ``^[...]`` of the block's source, else one made
from the record's cites).  A changed or new note is read with ingest's citation
reader: known sources are matched by URL or title, *Id.* and *supra* resolved
against the notes before it, and a source the library lacks is drafted as a new
library item (``Citations.new_sources``) for someone to check.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..ingest.cites import Piece, parse_note
from ..ingest.make import Ingester, Made
from ..library import Library
from ..parse import parse_cite_items
from ..render import md_escape
from .compare import Review
from .model import RecordNote, RPara, Segment

_MARK = "\ue000{}\ue001"
_MARK_RE = re.compile("\ue000(\\d+)\ue001")


def _closing(text: str, start: int) -> int:
    """The index of the ``]`` closing the ``[`` at ``start`` (backslash escapes skipped), or -1."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def source_notes(source: str) -> list[str]:
    """The note-making pieces of a block's Markdown in order: ``^[...]`` notes and
    bracketed citations outside them (each of those becomes a note of its own)."""
    found: list[str] = []
    i = 0
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source.startswith("^[", i):
            end = _closing(source, i + 1)
            if end > 0:
                found.append(source[i:end + 1])
                i = end + 1
                continue
        if source[i] == "[":
            end = _closing(source, i)
            if end > 0 and parse_cite_items(source[i + 1:end]) is not None \
                    and source[end + 1:end + 2] not in ("(", "["):
                found.append(source[i:end + 1])
                i = end + 1
                continue
        i += 1
    return found


def cite_markup(note: RecordNote) -> str:
    """``[prefix @id, at locator suffix; ...]`` from a record note's cites."""
    parts = []
    for cite in note.cites:
        text = (cite.get("prefix", "") + " @" + cite["id"]).strip()
        if cite.get("locator"):
            text += f", at {cite['locator']}"
        if cite.get("suffix"):
            text += " " + cite["suffix"]
        parts.append(text)
    return "[" + "; ".join(parts) + "]" if parts else ""


def guard_jinja(text: str) -> str:
    """Text that Jinja renders as it is (the brief's text blocks and snippet bodies are templates)."""
    return "{% raw %}" + text + "{% endraw %}" if re.search(r"\{[{%#]", text) else text


class Citations:
    """Markdown for every note of a review, and the new sources they cite."""

    def __init__(self, review: Review, library: Library) -> None:
        self.review = review
        self.markup: dict[str, str] = {}  # RNote.id -> Markdown
        self.new_sources: list[dict] = []
        self.unplaced: list[str] = []
        ingester = Ingester(library)
        made = Made(Path(review.doc.path), None, None)  # type: ignore[arg-type]
        pieces: dict[int, list[Piece]] = {}
        changed: dict[int, str] = {}
        for block in review.blocks:
            originals = source_notes(block.record.source) if block.record else []
            exact = block.record is not None and len(originals) == len(block.record.notes)
            for note in block.notes:
                if note.note is None or note.number is None:
                    continue
                if note.status == "unchanged" and note.record is not None and note.index is not None:
                    self.markup[note.note.id] = (originals[note.index] if exact
                                                 else cite_markup(note.record))
                    pieces[note.number] = [Piece(note.after, source_id=c["id"])
                                           for c in note.record.cites]
                else:
                    pieces[note.number] = parse_note(note.after)
                    changed[note.number] = note.note.id
        if changed:
            markup = ingester._notes(dict(sorted(pieces.items())), made)
            for number, note_id in changed.items():
                self.markup[note_id] = markup[number]
            self.new_sources = made.sources

    def paragraph(self, segments: list[Segment]) -> str:
        """One paragraph's taken text as Markdown, its note marks as citations."""
        marks: list[str] = []
        text = ""
        for seg in self.review.taken(segments):
            if seg.note is not None:
                marks.append(self.markup.get(seg.note, ""))
                text += _MARK.format(len(marks) - 1)
            else:
                text += seg.text
        text = md_escape(" ".join(text.replace("\u00a0", " ").split()))
        return _MARK_RE.sub(lambda m: marks[int(m.group(1))], text)


def block_markdown(citations: Citations, paras: list[RPara]) -> list[str]:
    """The Markdown of each kept paragraph of a block (empty ones left out)."""
    return [t for t in (citations.paragraph(p.segments) for p in paras) if t.strip()]
