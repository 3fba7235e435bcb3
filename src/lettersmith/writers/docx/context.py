"""State shared while one letter is written: styles, notes, ids, comments."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from lxml import etree

from lettersmith.model import Document, NoteRef, walk

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from .notes import NotesWriter
    from .numbering import Numbering
    from .styles import StyleMap


@dataclass
class BlockMark:
    """A body block of the brief, bookmarked: its part's attrs and its paragraphs."""

    attrs: dict[str, str]
    paragraphs: list[etree._Element]


@dataclass
class ColumnGroup:
    """Paragraphs of a sign-on list to be set in ``columns`` columns."""

    columns: int
    first: etree._Element
    last: etree._Element


@dataclass
class Ctx:
    word: WordDocument
    styles: StyleMap
    notes: NotesWriter
    numbering: Numbering
    referenced: set[int]
    bookmark_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    blocks: list[BlockMark] = field(default_factory=list)
    column_groups: list[ColumnGroup] = field(default_factory=list)
    links: dict[int, dict[str, str]] = field(default_factory=dict)  # id(part) -> url -> rId
    next_rid: dict[int, int] = field(default_factory=dict)  # id(part) -> last rId number
    link_trace: list[tuple[str, str]] | None = None  # (url, rId) of each link, when kept


def referenced_notes(doc: Document) -> set[int]:
    """Numbers of the notes some ``NoteRef`` points at (they get bookmarks)."""
    found: set[int] = set()
    for node in walk(doc.blocks):
        if isinstance(node, NoteRef):
            found.add(node.number)
    return found


def bookmark_name(number: int) -> str:
    """The hidden bookmark on the body reference of note ``number``."""
    return f"_RefNote{number}"
