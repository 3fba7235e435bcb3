"""Real Word footnotes and endnotes in the letter's package (``opc`` or python-docx's).

See WORD-NOTES.md: a ``footnotes.xml`` (or ``endnotes.xml``) part related from
the document part, starting with the separator notes -1 and 0; each note's
first run is the ``w:footnoteRef`` mark; the number format goes in every
``w:sectPr`` (LibreOffice reads only that) and in ``settings.xml``.
"""
from __future__ import annotations

import copy
from collections import OrderedDict
from typing import TYPE_CHECKING

from lxml import etree

from lettersmith.model import Note

from .inlines import link_rid

from .ooxml import (SECTPR_ORDER, SETTINGS_AFTER_NOTEPR, el, insert_ordered, ppr_of, qn, sub,
                    text_el)
from .opc import parse_xml
from .word import (RT_ENDNOTES, RT_FOOTNOTES, RT_SETTINGS, body_of, is_xml_part, new_part,
                   xml_of)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from .context import Ctx
    from .styles import StyleMap

NUM_FMT = {"arabic": "decimal", "lower-roman": "lowerRoman", "upper-roman": "upperRoman"}
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_KINDS = {
    "footnote": (RT_FOOTNOTES, _WML + "footnotes+xml", "/word/footnotes.xml"),
    "endnote": (RT_ENDNOTES, _WML + "endnotes+xml", "/word/endnotes.xml"),
}
_EMPTY = ('<w:{kind}s xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
          ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>')


def _notes_part(word: WordDocument, kind: str):
    """The document's footnotes/endnotes part as parsed XML, created if missing.

    An existing notes part is loaded as opaque bytes (by python-docx and ``opc``
    alike); it is parsed, unrelated, and related again under the same name.
    """
    doc_part = word.part
    reltype, content_type, partname = _KINDS[kind]
    element = None
    for rid, rel in list(doc_part.rels.items()):
        if rel.reltype == reltype and not rel.is_external:
            old = rel.target_part
            if is_xml_part(old):
                return old
            element = parse_xml(old.blob)
            partname = str(old.partname)
            doc_part.drop_rel(rid)
    if element is None:
        element = parse_xml(_EMPTY.format(kind=kind))
    part = new_part(word, partname, content_type, element=element)
    doc_part.relate_to(part, reltype)
    return part


class NotesWriter:
    """Writes the letter's notes into the footnotes or endnotes part."""

    def __init__(self, word: WordDocument, placement: str) -> None:
        self.kind = "endnote" if placement == "endnotes" else "footnote"
        self.part = _notes_part(word, self.kind)
        self.root = self.part.element
        self._prepare()

    @property
    def text_style(self) -> str:
        return "endnote text" if self.kind == "endnote" else "footnote text"

    @property
    def ref_style(self) -> str:
        return "endnote reference" if self.kind == "endnote" else "footnote reference"

    def _prepare(self) -> None:
        """Keep only the separator notes (adding them if missing)."""
        tag = qn(f"w:{self.kind}")
        kept: dict[str, etree._Element] = {}
        for note in list(self.root):
            if note.tag == tag and note.get(qn("w:type")) in ("separator",
                                                             "continuationSeparator"):
                kept[note.get(qn("w:type"))] = note
            self.root.remove(note)
        for note_type, note_id, mark in (("separator", "-1", "w:separator"),
                                         ("continuationSeparator", "0",
                                          "w:continuationSeparator")):
            note = kept.get(note_type)
            if note is None:
                note = el(f"w:{self.kind}", {"w:type": note_type, "w:id": note_id})
                p = sub(note, "w:p")
                ppr = sub(p, "w:pPr")
                sub(ppr, "w:spacing", {"w:after": "0", "w:line": "240", "w:lineRule": "auto"})
                sub(sub(p, "w:r"), mark)
            self.root.append(note)
        self._taken = {int(n.get(qn("w:id"), "0")) for n in self.root}

    def reference_run(self, note_id: int, ctx: Ctx) -> etree._Element:
        """The body run ``<w:footnoteReference w:id=N/>`` in the reference style."""
        r = el("w:r")
        rpr = sub(r, "w:rPr")
        sub(rpr, "w:rStyle", {"w:val": ctx.styles.id(self.ref_style)})
        sub(r, f"w:{self.kind}Reference", {"w:id": str(note_id)})
        return r

    def add(self, note: Note, ctx: Ctx) -> int:
        """Write ``note`` into the part and return its id (its number when free).

        A note written before in this process with the same id and content (a merge
        writes the same notes into every letter) is copied from its first writing,
        after asking for the same styles and links again, in the same order, so the
        styles and relationships parts come out the same; it is written afresh when a
        style or link gets another id here (another letterhead, other links before
        it), and always when it holds a list (its numbering is the letter's)."""
        note_id = note.number if note.number > 0 else 1
        while note_id in self._taken:
            note_id += 1
        self._taken.add(note_id)
        # A note with a list is never kept (a text that merely says "ListBlock(" neither).
        content = repr(note.blocks)
        key = None if "ListBlock(" in content else (self.kind, note_id, content)
        known = _WRITTEN.get(key) if key is not None else None
        if known is not None:
            written, styles_used, links = known
            if all(ctx.styles.id(name) == sid for name, sid in styles_used) \
                    and all(link_rid(ctx, self.part, url) == rid for url, rid in links):
                _WRITTEN.move_to_end(key)
                self.root.append(copy.deepcopy(written))
                return note_id
        styles, ctx.styles = ctx.styles, _StyleTrace(ctx.styles)  # type: ignore[assignment]
        ctx.link_trace = []
        try:
            elm = self._write(note, note_id, ctx)
            styles_used, links = ctx.styles.used, ctx.link_trace  # type: ignore[attr-defined]
        finally:
            ctx.styles, ctx.link_trace = styles, None
        if key is not None:
            _WRITTEN[key] = (copy.deepcopy(elm), tuple(styles_used), tuple(links))
            if len(_WRITTEN) > _WRITTEN_SIZE:
                _WRITTEN.popitem(last=False)
        self.root.append(elm)
        return note_id

    def _write(self, note: Note, note_id: int, ctx: Ctx) -> etree._Element:
        from .blocks import write_note_blocks

        elm = el(f"w:{self.kind}", {"w:id": str(note_id)})
        paras = write_note_blocks(note.blocks, ctx, self.part, ctx.styles.id(self.text_style))
        if not paras:
            paras = [el("w:p")]
            ppr_of(paras[0]).append(el("w:pStyle", {"w:val": ctx.styles.id(self.text_style)}))
        first = paras[0]
        mark = el("w:r")
        sub(sub(mark, "w:rPr"), "w:rStyle", {"w:val": ctx.styles.id(self.ref_style)})
        sub(mark, f"w:{self.kind}Ref")
        space = el("w:r")
        space.append(text_el(" "))
        ppr = first.find(qn("w:pPr"))
        index = 0 if ppr is None else first.index(ppr) + 1
        first.insert(index, mark)
        first.insert(index + 1, space)
        elm.extend(paras)
        return elm


class _StyleTrace:
    """A letter's style map that also lists the styles asked for (name, id), in order."""

    def __init__(self, styles: StyleMap) -> None:
        self._styles = styles
        self.used: list[tuple[str, str]] = []

    def id(self, name: str) -> str:
        found = self._styles.id(name)
        self.used.append((name, found))
        return found

    def __getattr__(self, name: str):  # has(), replace(): as the style map
        return getattr(self._styles, name)


# Notes written in this process: (kind, id, content) -> (element, (style name, id) and
# (url, rId) pairs it used, in order).
_WRITTEN: OrderedDict[tuple[str, int, str], tuple[etree._Element, tuple[tuple[str, str], ...],
                                                   tuple[tuple[str, str], ...]]] = OrderedDict()
_WRITTEN_SIZE = 256  # bounded, so a long merge's memory stays flat


def set_number_format(word: WordDocument, placement: str, numbering: str) -> None:
    """Write the note number format into every section and into settings."""
    kind = "endnote" if placement == "endnotes" else "footnote"
    fmt = NUM_FMT.get(numbering, "decimal")
    body = body_of(word)
    for sect in body.iter(qn("w:sectPr")):
        pr = el(f"w:{kind}Pr")
        sub(pr, "w:numFmt", {"w:val": fmt})
        insert_ordered(sect, pr, SECTPR_ORDER)
    settings = xml_of(word, RT_SETTINGS)
    pr = settings.find(qn(f"w:{kind}Pr"))
    if pr is None:
        pr = el(f"w:{kind}Pr")
        order = ("footnotePr",) + SETTINGS_AFTER_NOTEPR
        insert_ordered(settings, pr, order)
    # CT_FtnDocProps: pos?, numFmt?, numStart?, numRestart?, footnote*
    for old in pr.findall(qn("w:numFmt")):
        pr.remove(old)
    pos = pr.find(qn("w:pos"))
    numfmt = el("w:numFmt", {"w:val": fmt})
    if pos is not None:
        pos.addnext(numfmt)
    else:
        pr.insert(0, numfmt)
