"""What a reviewed .docx says, in one model shared by the reader, the comparison,
the reports and ``--apply``.

The writer side (``writers/docx``) embeds a :class:`BuildRecord` in every .docx it
writes (a custom XML part) and marks each block of the letter body with a
bookmark named ``_lsb<n>`` where ``n`` is the block's index in
``BuildRecord.blocks``.  The reader (:func:`lettersmith.review.read.read_reviewed`)
turns any .docx (ours, re-saved by LibreOffice or Word, or text pasted into a fresh
document) into a :class:`ReviewedDoc`; :mod:`lettersmith.review.align` fills
``RPara.block`` from the bookmarks, else by aligning text with the record.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Segment:
    """A run of text: ``kind`` is ``same``, ``ins`` (tracked insertion or move-to) or
    ``del`` (tracked deletion or move-from); author/date of the tracked change."""

    kind: str
    text: str
    author: str = ""
    date: str = ""
    note: str | None = None  # the note reference's id when this segment is a note mark


@dataclass
class RNote:
    """One footnote/endnote as it is in the reviewed file."""

    id: str  # w:id in footnotes.xml / endnotes.xml
    segments: list[Segment] = field(default_factory=list)

    def accepted(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != "del")

    def rejected(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != "ins")


@dataclass
class RPara:
    """One body paragraph of the reviewed file, in document order."""

    index: int
    style: str
    segments: list[Segment] = field(default_factory=list)
    block: int | None = None  # index into BuildRecord.blocks, once mapped
    mapped_by: str = ""  # "bookmark" | "text" | ""

    def accepted(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != "del" and s.note is None)

    def rejected(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != "ins" and s.note is None)

    def note_ids(self, accepted: bool = True) -> list[str]:
        skip = "del" if accepted else "ins"
        return [s.note for s in self.segments if s.note is not None and s.kind != skip]


@dataclass
class RComment:
    id: str
    author: str
    date: str
    text: str
    anchor: str  # the text the comment is anchored on
    paragraphs: list[int] = field(default_factory=list)  # RPara.index values it touches
    resolved: bool = False
    replies: list["RComment"] = field(default_factory=list)


@dataclass
class RecordNote:
    """A note as lettersmith wrote it: its label, plain text and what it cites."""

    label: str
    text: str
    cites: list[dict[str, str]] = field(default_factory=list)  # {id, prefix, locator, suffix}


@dataclass
class RecordBlock:
    """One block of the letter body as lettersmith wrote it.

    ``kind`` is the brief body item's kind (argument, text, heading, asks, quote);
    ``item`` is its index in the brief's ``body:`` list; ``paragraphs`` the plain
    text of each paragraph written (note marks left out); ``source`` the Markdown
    the block was rendered from (citations still ``[@id]``), ``notes`` its notes.
    """

    kind: str
    item: int
    id: str | None = None  # snippet id for arguments and quotes
    hash: str = ""
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    source: str = ""
    notes: list[RecordNote] = field(default_factory=list)


@dataclass
class BuildRecord:
    """What lettersmith wrote, embedded in the .docx at build time."""

    version: int
    brief: str  # the brief's path as given to build (absolute)
    library: str  # the library folder (absolute)
    built: str  # ISO date of the letter
    blocks: list[RecordBlock] = field(default_factory=list)
    snippet_hashes: dict[str, str] = field(default_factory=dict)  # id -> hash of the file text at build


@dataclass
class ReviewedDoc:
    """A reviewed .docx as read.  ``notes`` is keyed by the note's ``w:id`` (an
    endnote's id gets an ``e`` prefix when the file has footnotes as well);
    ``bookmarks`` (added for the aligner) maps each ``_lsb<n>`` block to the
    (first, last) ``RPara.index`` its bookmark spans."""

    path: str
    record: BuildRecord | None
    paragraphs: list[RPara] = field(default_factory=list)
    notes: dict[str, RNote] = field(default_factory=dict)
    comments: list[RComment] = field(default_factory=list)
    bookmarks: dict[int, tuple[int, int]] = field(default_factory=dict)
