"""Letterheads: the reference .docx whose styles, page setup, headers and footers
a letter keeps.  Its body text is dropped; the letter is written in its place.
"""
from __future__ import annotations

import copy
import functools
import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from lettersmith.errors import LettersmithError, suggest
from lettersmith.safefiles import read_bytes, zip_parts

from .ooxml import qn
from .word import LiteWord, lite_word

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

LETTERHEADS = Path(__file__).resolve().parents[2] / "letterheads"
DEFAULT_LETTERHEAD = LETTERHEADS / "default.docx"
PYTHON_DOCX_ENV = "LETTERSMITH_PYTHON_DOCX"  # set: read and write through python-docx
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


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_ATTACHED = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}attachedTemplate"


def _drop_external(parts: dict[str, bytes]) -> None:
    """Remove every external relationship (an attached template, a linked image or
    font, a hyperlink's target) and what points at it, so nothing outside the
    letterhead reaches the letter."""
    for rels_name in [n for n in parts if n.endswith(".rels")]:
        rels = etree.fromstring(parts[rels_name])
        gone = {r.get("Id") for r in rels if r.get("TargetMode") == "External"}
        if not gone:
            continue
        for rel in [r for r in rels if r.get("Id") in gone]:
            rels.remove(rel)
        parts[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)
        folder, _, name = rels_name.rpartition("_rels/")
        source = folder + name[:-len(".rels")]
        if source not in parts:
            continue
        root = etree.fromstring(parts[source])
        for element in list(root.iter()):
            for attr, value in list(element.attrib.items()):
                if attr.startswith(f"{{{_R}}}") and value in gone:
                    if element.tag == _ATTACHED and element.getparent() is not None:
                        element.getparent().remove(element)
                    else:
                        del element.attrib[attr]
        parts[source] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                       standalone=True)


@functools.lru_cache(maxsize=8)
def _read(path: str, mtime_ns: int, size: int) -> bytes:
    """The letterhead's bytes as a .docx (a .dotx template is accepted too), after
    refusing what is not a regular, sane .docx and dropping external relationships."""
    del mtime_ns, size  # cache keys only
    data = read_bytes(Path(path), path, "letterhead")
    parts = zip_parts(data, path, "letterhead")
    if "[Content_Types].xml" not in parts:
        raise LettersmithError("the letterhead is not a Word .docx file", file=path,
                               hint="save it from Word as .docx (Word Document)")
    try:
        _drop_external(parts)
    except etree.XMLSyntaxError as err:
        raise LettersmithError(f"the letterhead is damaged: {err}", file=path,
                               hint="re-save it from Word as .docx") from None
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(_TEMPLATE_CT, _DOCUMENT_CT)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for name, blob in parts.items():
            w.writestr(name, blob)
    return out.getvalue()


def open_letterhead(letterhead: Path | str | None, *, python_docx: bool = False
                    ) -> LiteWord | WordDocument:
    """The letterhead's package with an empty body: opened by ``opc`` (no python-docx
    import), or by python-docx when ``python_docx`` is set or the letterhead lacks a
    part only python-docx makes up (see ``word.lite_word``).

    The letterhead is parsed once per process; each letter gets a deep copy
    (a third of the time of parsing it again).
    """
    path = resolve(letterhead)
    try:
        stat = path.stat()
    except (OSError, ValueError) as exc:
        names = sorted(p.stem for p in LETTERHEADS.glob("*.docx"))
        close = suggest(path.stem, names) if not path.suffix else ""
        raise LettersmithError("letterhead not found", file=path,
                               hint=(close + " " if close else "") + "give the path of a .docx "
                               "file, or the name of a shipped one: " + ", ".join(names)) from exc
    python_docx = python_docx or bool(os.environ.get(PYTHON_DOCX_ENV))
    word = None if python_docx else _lite(str(path), stat.st_mtime_ns, stat.st_size)
    return copy.deepcopy(word or _parsed(str(path), stat.st_mtime_ns, stat.st_size))


def _empty_body(body: etree._Element) -> None:
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


@functools.lru_cache(maxsize=4)
def _lite(path: str, mtime_ns: int, size: int) -> LiteWord | None:
    data = _read(path, mtime_ns, size)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            word = lite_word({name: z.read(name) for name in z.namelist()})
    except (KeyError, ValueError, etree.XMLSyntaxError):
        return None  # python-docx reads it, or says why it cannot
    if word is not None:
        _empty_body(word.part.element.find(qn("w:body")))
        word.package.freeze()  # only ever copied (open_letterhead)
    return word


@functools.lru_cache(maxsize=4)
def _parsed(path: str, mtime_ns: int, size: int) -> WordDocument:
    import docx

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
