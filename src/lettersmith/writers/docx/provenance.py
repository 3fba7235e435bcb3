"""Provenance for review: a hidden bookmark ``_lsb<n>`` around each body block of
the brief, the build record as a custom XML part, and ``--review`` comments.

Bookmarks, not content controls: a LibreOffice re-save moves every note reference
inside a block-level ``w:sdt`` to the start of its paragraph and drops the tag,
while it keeps bookmarks where they are (README, "How a reviewed file is read").
"""
from __future__ import annotations

import datetime as dt
import uuid
from html import escape  # not xml.sax.saxutils: it imports urllib.request, http, ssl, email
from typing import TYPE_CHECKING

from lxml import etree

from .context import BlockMark
from .ooxml import clean_text, el, qn
from .word import new_part, package_of

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from .context import Ctx

REVIEW_AUTHOR = "lettersmith"
REVIEW_INITIALS = "LS"
BLOCK_BOOKMARK = "_lsb"
RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
RT_CUSTOM_XML_PROPS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                       "customXmlProps")
CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def block_bookmark(n: int | str) -> str:
    """The hidden bookmark around body item ``n`` of the brief."""
    return f"{BLOCK_BOOKMARK}{n}"


def mark_block(attrs: dict[str, str], inner: list[etree._Element], ctx: Ctx
               ) -> list[etree._Element]:
    """Bookmark ``inner`` (a block's paragraphs) from its first run to its last."""
    paras = [p for elm in inner for p in elm.iter(qn("w:p"))]
    if not paras:
        return inner
    n = attrs.get("n") or str(len(ctx.blocks))
    bid = str(next(ctx.bookmark_ids))
    start = el("w:bookmarkStart", {"w:id": bid, "w:name": block_bookmark(n)})
    first = paras[0]
    ppr = first.find(qn("w:pPr"))
    first.insert(0 if ppr is None else first.index(ppr) + 1, start)
    paras[-1].append(el("w:bookmarkEnd", {"w:id": bid}))
    ctx.blocks.append(BlockMark(attrs, paras))
    return inner


def embed_record(word: WordDocument, record_json: str, namespace: str) -> None:
    """The build record as ``customXml/itemN.xml`` (JSON inside one element) with its
    ``itemProps``, related from the document part as Word relates custom XML."""
    for rid, rel in list(word.part.rels.items()):  # a letterhead built by lettersmith
        if rel.reltype == RT_CUSTOM_XML and not rel.is_external \
                and namespace.encode() in rel.target_part.blob:
            word.part.drop_rel(rid)
    package = package_of(word)
    taken = {str(p.partname) for p in package.iter_parts()}
    n = 1
    while f"/customXml/item{n}.xml" in taken:
        n += 1
    item_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<lettersmith xmlns="{namespace}">{escape(record_json, quote=False)}</lettersmith>')
    item = new_part(word, f"/customXml/item{n}.xml", "application/xml",
                    item_xml.encode("utf-8"))
    guid = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, namespace + record_json)).upper() + "}"
    props_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
                 f'<ds:datastoreItem ds:itemID="{guid}" xmlns:ds="{_DS}"><ds:schemaRefs>'
                 f'<ds:schemaRef ds:uri="{namespace}"/></ds:schemaRefs></ds:datastoreItem>')
    props = new_part(word, f"/customXml/itemProps{n}.xml", CT_CUSTOM_XML_PROPS,
                     props_xml.encode("utf-8"))
    item.relate_to(props, RT_CUSTOM_XML_PROPS)
    word.part.relate_to(item, RT_CUSTOM_XML)


def comment_text(attrs: dict[str, str]) -> list[str]:
    """The lines of a review comment for one argument block."""
    lines = [f"Snippet: {attrs.get('id', '')}"]
    for key, label in (("title", "Title"), ("origin", "Origin")):
        if attrs.get(key):
            lines.append(f"{label}: {attrs[key]}")
    sources = [s.strip() for s in attrs.get("sources", "").split(",") if s.strip()]
    lines.append("Sources: " + (", ".join(sources) if sources else "none"))
    return [clean_text(line) for line in lines]


def _anchor_runs(mark: BlockMark) -> tuple[etree._Element, etree._Element] | None:
    """The first and last runs directly in a block's paragraphs."""
    runs = [r for p in mark.paragraphs for r in p.iterchildren(qn("w:r"))]
    return (runs[0], runs[-1]) if runs else None


def add_review_comments(word: WordDocument, ctx: Ctx, when: dt.datetime) -> int:
    """One comment per argument block, anchored on its runs; returns how many.

    ``word`` is python-docx's document (``build --review`` opens it so)."""
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    count = 0
    for mark in ctx.blocks:
        if mark.attrs.get("kind", "argument") != "argument":
            continue
        anchor = _anchor_runs(mark)
        if anchor is None:
            continue
        first, last = (Run(r, Paragraph(r.getparent(), word._body)) for r in anchor)
        ctx.styles.id("annotation text")
        ctx.styles.id("annotation reference")
        comment = word.add_comment([first, last], text="\n".join(comment_text(mark.attrs)),
                                   author=REVIEW_AUTHOR, initials=REVIEW_INITIALS)
        comment._comment_elm.set(qn("w:date"), when.strftime("%Y-%m-%dT%H:%M:%SZ"))
        count += 1
    return count
