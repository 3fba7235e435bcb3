"""The Word writer: one numbered ``Document`` to a .docx letter.

Real footnotes or endnotes, NOTEREF fields for "*supra* note N", letter parts
as paragraph styles on a letterhead, sign-on lists in columns, signature
blocks, each body block of the brief in a hidden ``_lsb<n>`` bookmark with the
build record as a custom XML part (and review comments), document properties,
and a content hash inside the file for safe re-builds.
This package is the only place lettersmith imports python-docx, and only for
``--review`` (its comments API) or a letterhead missing a part python-docx makes
up: a plain build reads and writes the package with ``opc`` on lxml.
"""
from __future__ import annotations

from pathlib import Path

from lettersmith.model import Document

from .blocks import BlockWriter
from .context import Ctx, referenced_notes
from .provenance import add_review_comments, embed_record
from .layout import apply_column_groups, ensure_page_numbers
from .letterhead import DEFAULT_LETTERHEAD, open_letterhead
from .notes import NotesWriter, set_number_format
from .numbering import Numbering
from .package import (docx_was_edited, finalize, letter_datetime, package_entries,
                      set_core_properties)
from .ooxml import qn
from .styles import StyleMap
from .word import body_of, styles_to_read

__all__ = ["render_docx", "docx_was_edited", "DEFAULT_LETTERHEAD"]


def render_docx(doc: Document, *, letterhead: Path | None = None, review: bool = False,
                python_docx: bool = False) -> bytes:
    """The letter as .docx bytes, laid out on ``letterhead`` (default: the plain one).

    With ``review``, each argument block also gets a Word comment naming its
    snippet id, title, origin and sources.  ``python_docx`` opens and writes the
    package through python-docx (as ``review`` does): the same bytes, more imports.
    """
    word = open_letterhead(letterhead, python_docx=python_docx or review)
    styles = StyleMap(*styles_to_read(word))
    ctx = Ctx(word=word, styles=styles,
              notes=NotesWriter(word, doc.note_settings.placement),
              numbering=Numbering(word), referenced=referenced_notes(doc))
    elements = BlockWriter(ctx, word.part).blocks(doc.blocks)
    body = body_of(word)
    sect = body.find(qn("w:sectPr"))
    for elm in elements:
        if sect is not None:
            sect.addprevious(elm)
        else:
            body.append(elm)
    ensure_page_numbers(word, styles)
    apply_column_groups(ctx)
    set_number_format(word, doc.note_settings.placement, doc.note_settings.numbering)
    when = letter_datetime(doc.meta)
    if review:
        add_review_comments(word, ctx, when)
    record = doc.meta.get("record")
    if record is not None:
        from lettersmith.review.record import RECORD_NAMESPACE, record_json
        embed_record(word, record_json(record), RECORD_NAMESPACE)  # type: ignore[arg-type]
    set_core_properties(word, doc.meta, when)
    keywords = doc.meta.get("keywords") or []
    return finalize(package_entries(word), when,
                    ", ".join(map(str, keywords)) if isinstance(keywords, list) else str(keywords))
