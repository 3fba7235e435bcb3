"""Inlines to runs: text, emphasis, links, notes, and NOTEREF fields."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from lxml import etree

from lettersmith.model import Code, Emph, Inline, LineBreak, Link, Note, NoteRef, Str, Strong

from .context import bookmark_name
from .ooxml import clean_text, el, qn, sub, text_el
from .word import RT_HYPERLINK

if TYPE_CHECKING:
    from docx.opc.part import Part

    from .context import Ctx


@dataclass(frozen=True)
class Fmt:
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: bool = False


def _run(fmt: Fmt, ctx: Ctx, parent: etree._Element | None = None) -> etree._Element:
    """A new ``w:r`` (the last child of ``parent`` when given) with the ``w:rPr`` of a
    formatting state (none for plain text)."""
    r = el("w:r") if parent is None else sub(parent, "w:r")
    if not (fmt.bold or fmt.italic or fmt.code or fmt.link):
        return r
    rpr = sub(r, "w:rPr")
    if fmt.link:
        sub(rpr, "w:rStyle", {"w:val": ctx.styles.id("Hyperlink")})
    elif fmt.code:
        sub(rpr, "w:rStyle", {"w:val": ctx.styles.id("Verbatim Char")})
    if fmt.bold:
        sub(rpr, "w:b")
        sub(rpr, "w:bCs")
    if fmt.italic:
        sub(rpr, "w:i")
        sub(rpr, "w:iCs")
    return r


def text_run(text: str, fmt: Fmt, ctx: Ctx, parent: etree._Element | None = None
             ) -> etree._Element:
    """One run (the last child of ``parent`` when given); tabs become ``w:tab`` and
    vertical tabs (Word's line break) ``w:br``."""
    r = _run(fmt, ctx, parent)
    if "\x0b" not in text and "\t" not in text and "\u2011" not in text:  # most runs
        text = clean_text(text)
        if text:
            text_el(text, parent=r)
        return r
    for i, line in enumerate(text.split("\x0b")):
        if i:
            sub(r, "w:br")
        for j, piece in enumerate(line.split("\t")):
            if j:
                sub(r, "w:tab")
            for k, part in enumerate(clean_text(piece).split("\u2011")):
                if k:
                    sub(r, "w:noBreakHyphen")  # a phone number's hyphen (typography.py)
                if part:
                    text_el(part, parent=r)
    return r


def _field_run(ctx: Ctx, fmt: Fmt, kind: str | None = None, instr: str | None = None
               ) -> etree._Element:
    r = _run(fmt, ctx)
    if kind:
        sub(r, "w:fldChar", {"w:fldCharType": kind})
    if instr:
        text_el(instr, "w:instrText", parent=r)
    return r


def noteref_field(ref: NoteRef, fmt: Fmt, ctx: Ctx) -> list[etree._Element]:
    """A ``NOTEREF _RefNoteN \\h`` field whose cached result is the note's label."""
    label = ref.label or str(ref.number)
    return [
        _field_run(ctx, fmt, "begin"),
        _field_run(ctx, fmt, instr=f" NOTEREF {bookmark_name(ref.number)} \\h "),
        _field_run(ctx, fmt, "separate"),
        text_run(label, fmt, ctx),
        _field_run(ctx, fmt, "end"),
    ]


def note_reference(note: Note, ctx: Ctx) -> list[etree._Element]:
    """The body's reference run for ``note``, bookmarked when a NOTEREF targets it."""
    note_id = ctx.notes.add(note, ctx)
    run = ctx.notes.reference_run(note_id, ctx)
    if note.number not in ctx.referenced:
        return [run]
    bid = str(next(ctx.bookmark_ids))
    return [el("w:bookmarkStart", {"w:id": bid, "w:name": bookmark_name(note.number)}),
            run, el("w:bookmarkEnd", {"w:id": bid})]


def write_inlines(inlines: list[Inline], parent: etree._Element, ctx: Ctx, part: Part,
                  fmt: Fmt = Fmt()) -> None:
    """Append runs for ``inlines`` to ``parent`` (a paragraph or hyperlink).

    ``part`` is the package part the runs live in: links are related from it.
    """
    for node in inlines:
        if isinstance(node, Str):
            if node.text:
                text_run(node.text, fmt, ctx, parent)
        elif isinstance(node, Emph):
            write_inlines(node.children, parent, ctx, part, replace(fmt, italic=not fmt.italic))
        elif isinstance(node, Strong):
            write_inlines(node.children, parent, ctx, part, replace(fmt, bold=True))
        elif isinstance(node, Code):
            text_run(node.text, replace(fmt, code=True), ctx, parent)
        elif isinstance(node, LineBreak):
            r = sub(parent, "w:r")
            sub(r, "w:br")
        elif isinstance(node, Link):
            _write_link(node, parent, ctx, part, fmt)
        elif isinstance(node, NoteRef):
            parent.extend(noteref_field(node, fmt, ctx))
        elif isinstance(node, Note):
            if part is ctx.word.part:
                parent.extend(note_reference(node, ctx))
            else:  # a note inside a note: keep its text in brackets
                from lettersmith.model import plain_text
                parent.append(text_run(f" [{plain_text(node.blocks)}]", fmt, ctx))
        # Cite never reaches a writer; anything else unknown is skipped.


def link_rid(ctx: Ctx, part: Part, url: str) -> str:
    """The relationship id of an external link from ``part``, added once per URL.

    python-docx's ``relate_to`` scans every relationship (twice) per call, which
    made a letter with 2,000 linked notes quadratic; this is one dict look-up.
    """
    known = ctx.links.get(id(part))
    if known is None:
        known = ctx.links[id(part)] = {
            rel.target_ref: rid for rid, rel in part.rels.items()
            if rel.is_external and rel.reltype == RT_HYPERLINK}
        ctx.next_rid[id(part)] = max((int(r[3:]) for r in part.rels if r[3:].isdigit()),
                                     default=0)
    rid = known.get(url)
    if rid is None:
        number = ctx.next_rid[id(part)] + 1
        while f"rId{number}" in part.rels:  # added by python-docx since
            number += 1
        ctx.next_rid[id(part)] = number
        rid = known[url] = f"rId{number}"
        part.rels.add_relationship(RT_HYPERLINK, url, rid, is_external=True)
    if ctx.link_trace is not None:
        ctx.link_trace.append((url, rid))
    return rid


def _write_link(node: Link, parent: etree._Element, ctx: Ctx, part: Part, fmt: Fmt) -> None:
    url = clean_text(node.url)
    if not url or parent.tag == qn("w:hyperlink"):
        write_inlines(node.children, parent, ctx, part, fmt)
        return
    rid = link_rid(ctx, part, url)
    link = el("w:hyperlink", None)
    link.set(qn("r:id"), rid)
    link.set(qn("w:history"), "1")
    parent.append(link)
    write_inlines(node.children, link, ctx, part, replace(fmt, link=True))
