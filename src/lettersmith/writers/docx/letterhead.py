"""Letterheads: the reference .docx whose styles, page setup, headers and footers
a letter keeps.  Its body text is dropped; the letter is written in its place.
"""
from __future__ import annotations

import copy
import functools
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.oxml.ns import qn

from lettersmith.errors import LettersmithError

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

LETTERHEADS = Path(__file__).resolve().parents[2] / "letterheads"
DEFAULT_LETTERHEAD = LETTERHEADS / "default.docx"
_TEMPLATE_CT = b"wordprocessingml.template.main+xml"
_DOCUMENT_CT = b"wordprocessingml.document.main+xml"


def resolve(letterhead: Path | str | None) -> Path:
    """The letterhead file: a path, the name of a shipped one, or the default."""
    if letterhead is None:
        return DEFAULT_LETTERHEAD
    path = Path(letterhead)
    if not path.exists() and not path.suffix:
        shipped = LETTERHEADS / f"{path.name}.docx"
        if shipped.exists():
            return shipped
    return path


@functools.lru_cache(maxsize=8)
def _read(path: str, mtime_ns: int, size: int) -> bytes:
    """The letterhead's bytes as a .docx (a .dotx template is accepted too)."""
    del mtime_ns, size  # cache keys only
    data = Path(path).read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            types = z.read("[Content_Types].xml")
            if _TEMPLATE_CT not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
                for info in z.infolist():
                    blob = z.read(info)
                    if info.filename == "[Content_Types].xml":
                        blob = blob.replace(_TEMPLATE_CT, _DOCUMENT_CT)
                    w.writestr(info, blob)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError) as exc:
        raise LettersmithError("the letterhead is not a Word .docx file", file=path,
                               hint="save it from Word as .docx (Word Document)") from exc


def open_letterhead(letterhead: Path | str | None) -> WordDocument:
    """A python-docx document from the letterhead, with an empty body.

    The letterhead is parsed once per process; each letter gets a deep copy
    (a third of the time of parsing it again).
    """
    path = resolve(letterhead)
    try:
        stat = path.stat()
    except OSError as exc:
        raise LettersmithError("letterhead not found", file=path,
                               hint="give the path of a .docx file") from exc
    return copy.deepcopy(_parsed(str(path), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=4)
def _parsed(path: str, mtime_ns: int, size: int) -> WordDocument:
    data = _read(path, mtime_ns, size)
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for foreign files
        raise LettersmithError(f"cannot read the letterhead: {exc}", file=path) from exc
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return word
