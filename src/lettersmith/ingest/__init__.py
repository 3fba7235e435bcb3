"""Reading past letters back into a library: ``lettersmith ingest``.

A reader turns a file into a :class:`RawDoc` (body paragraphs, in which note
references are written ``[^n]``, and the notes' texts by number); the letter
pass recognizes its parts (date, recipient, subject, body, sign-on list), the
citation pass turns notes into sources, and the writer puts draft library files
into a folder without overwriting anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RawNote:
    number: int
    label: str  # as printed: "3", "iii", "³"
    text: str


@dataclass
class RawDoc:
    """A past letter as read: paragraphs with ``[^n]`` note references, and notes."""

    path: Path
    paragraphs: list[str]
    notes: dict[int, RawNote] = field(default_factory=dict)
    numbering: str = "arabic"  # arabic | lower-roman | upper-roman
    unplaced: list[str] = field(default_factory=list)  # fragments no part could take
    tracked: dict[str, int] = field(default_factory=dict)  # tracked changes taken as accepted


def read_any(path: Path) -> RawDoc:
    """Read a .docx, .pdf, .md or .txt past letter."""
    from ..errors import LettersmithError
    from ..safefiles import MAX_BINARY, check_regular
    check_regular(path, path, "letter to ingest", MAX_BINARY)  # no FIFO, device or folder
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from .docx import read_docx
        return read_docx(path)
    if suffix in (".md", ".markdown"):
        from .markdown import read_markdown
        return read_markdown(path)
    if suffix == ".pdf":
        from .pdf import read_pdf
        return read_pdf(path)
    if suffix in (".txt", ".text", ""):
        from .text import read_text
        return read_text(path)
    raise LettersmithError(f"cannot read {suffix} files", file=path,
                           hint="ingest reads .docx, .pdf, .md and .txt; save the letter as one of those")
