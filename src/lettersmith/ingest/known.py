"""Blocks of lettersmith's own letters that the library already holds.

A .docx lettersmith built (or one a reviewer returned) carries its build record
and ``_lsb<n>`` bookmarks: each argument paragraph maps to the snippet it came
from.  Without them (text pasted into a fresh file, an older letter) each
paragraph is compared with the library's argument blocks by their words.  Ingest
then refers to the existing item instead of drafting a duplicate.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import LettersmithError
from ..library import Library
from ..review.align import align, similarity, words
from ..review.read import read_reviewed

MATCH = 0.6  # word similarity for a paragraph to be a library argument's, without a record
_NOTE_REF = re.compile(r"\[\^\d+\]")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_CITE = re.compile(r"\^\[(?:[^\[\]]|\[[^\[\]]*\])*\]|\[[^\[\]]*@[^\[\]]*\]")


@dataclass
class Known:
    id: str  # the library argument's id
    edited: bool  # the reviewer changed its text (known only from a build record)
    by: str  # "bookmark" | "text"


def key(text: str) -> tuple[str, ...]:
    """A paragraph's words with note references left out (the lookup key)."""
    return tuple(words(_NOTE_REF.sub("", text)))


def _library_paragraphs(library: Library) -> list[tuple[str, list[str]]]:
    out = []
    for item in library.of_kind("argument"):
        text = _CITE.sub("", _TEMPLATE.sub("", item.body))
        out.extend((item.id, words(p)) for p in re.split(r"\n\s*\n", text) if p.strip())
    return out


def known_paragraphs(path: Path, library: Library) -> dict[tuple[str, ...], Known]:
    """Paragraph key -> the library argument it is, for a .docx (else empty)."""
    if path.suffix.lower() != ".docx":
        return {}
    try:
        doc = read_reviewed(path)
    except LettersmithError:
        return {}
    out: dict[tuple[str, ...], Known] = {}
    if doc.record is not None:
        align(doc)
        for index, block in enumerate(doc.record.blocks):
            if block.kind != "argument" or block.id not in library.items:
                continue
            paras = [p for p in doc.paragraphs if p.block == index and p.accepted().strip()]
            edited = [words(p.accepted()) for p in paras] != [words(t) for t in block.paragraphs]
            for p in paras:
                out[key(p.accepted())] = Known(str(block.id), edited, p.mapped_by)
        return out
    candidates = _library_paragraphs(library)
    for p in doc.paragraphs:
        mine = key(p.accepted())
        if len(mine) < 8:
            continue
        best = max(((similarity(list(mine), theirs), item_id) for item_id, theirs in candidates),
                   default=(0.0, ""))
        if best[0] >= MATCH:  # its variables were filled in: edits cannot be told apart
            out[mine] = Known(best[1], False, "text")
    return out
