"""Provenance for review: content controls around argument blocks, and comments."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from .context import Snippet
from .ooxml import clean_text, el, sub

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from .context import Ctx

REVIEW_AUTHOR = "lettersmith"
REVIEW_INITIALS = "LS"


def control_tag(attrs: dict[str, str]) -> str:
    """The content control's tag: ``id#hash`` (just ``id`` when there is no hash)."""
    sid, digest = attrs.get("id", ""), attrs.get("hash", "")
    return f"{sid}#{digest}" if digest else sid


def parse_tag(tag: str) -> tuple[str, str]:
    """``id#hash`` -> (id, hash): the inverse of :func:`control_tag`."""
    sid, _, digest = tag.partition("#")
    return sid, digest


def content_control(attrs: dict[str, str], inner: list[etree._Element], ctx: Ctx
                    ) -> etree._Element:
    """A block-level rich-text ``w:sdt`` holding ``inner``, tagged with the snippet id."""
    sdt = el("w:sdt")
    pr = sub(sdt, "w:sdtPr")
    title = clean_text(attrs.get("title") or attrs.get("id", ""))
    if title:
        sub(pr, "w:alias", {"w:val": title[:255]})
    sub(pr, "w:tag", {"w:val": clean_text(control_tag(attrs))})
    sub(pr, "w:id", {"w:val": str(next(ctx.sdt_ids))})
    content = sub(sdt, "w:sdtContent")
    content.extend(inner)
    ctx.snippets.append(Snippet(attrs, sdt))
    return sdt


def comment_text(attrs: dict[str, str]) -> list[str]:
    """The lines of a review comment for one argument block."""
    lines = [f"Snippet: {attrs.get('id', '')}"]
    for key, label in (("title", "Title"), ("origin", "Origin")):
        if attrs.get(key):
            lines.append(f"{label}: {attrs[key]}")
    sources = [s.strip() for s in attrs.get("sources", "").split(",") if s.strip()]
    lines.append("Sources: " + (", ".join(sources) if sources else "none"))
    return [clean_text(line) for line in lines]


def _anchor_runs(sdt: etree._Element) -> tuple[etree._Element, etree._Element] | None:
    """The first and last runs directly in paragraphs of a content control."""
    runs = [r for p in sdt.iter(qn("w:p")) for r in p.iterchildren(qn("w:r"))]
    return (runs[0], runs[-1]) if runs else None


def add_review_comments(word: WordDocument, ctx: Ctx, when: dt.datetime) -> int:
    """One comment per argument block; returns how many were written."""
    count = 0
    for snippet in ctx.snippets:
        anchor = _anchor_runs(snippet.sdt)
        if anchor is None:
            continue
        first, last = (Run(r, Paragraph(r.getparent(), word._body)) for r in anchor)
        ctx.styles.id("annotation text")
        ctx.styles.id("annotation reference")
        comment = word.add_comment([first, last], text="\n".join(comment_text(snippet.attrs)),
                                   author=REVIEW_AUTHOR, initials=REVIEW_INITIALS)
        comment._comment_elm.set(qn("w:date"), when.strftime("%Y-%m-%dT%H:%M:%SZ"))
        count += 1
    return count
