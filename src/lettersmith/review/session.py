"""One ``lettersmith review`` run: read and map the reviewed file, compare it with
its build record, and plan the file changes of ``--apply``."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LettersmithError
from .compare import Review, compare

if TYPE_CHECKING:  # --apply's modules (ruamel.yaml, the library, ingest) load only for --apply
    from ..library import Library
    from .apply import Plan


def _docx(path: Path, what: str) -> None:
    if not path.is_file():
        raise LettersmithError("no such file", file=path, hint=f"give {what}")
    if not zipfile.is_zipfile(path):
        raise LettersmithError("this is not a Word .docx file", file=path,
                               hint="save the reviewed letter as .docx (Word or LibreOffice: "
                                    "Save As, Word 2007-365) and try again")


def load_review(path: Path, reject: bool = False, built: Path | None = None) -> Review:
    """The comparison of a reviewed .docx with the letter lettersmith built.

    The record of what lettersmith wrote is the one inside the file; when the file
    has lost it (the text pasted into a fresh document), ``built`` is the .docx
    lettersmith wrote, whose record is used and whose paragraphs are found by text."""
    from .align import align
    from .read import read_reviewed
    _docx(path, "the reviewed .docx")
    doc = read_reviewed(path)
    if doc.record is None and built is not None:
        _docx(built, "the .docx lettersmith built")
        doc.record = read_reviewed(built).record
        if doc.record is None:
            raise LettersmithError("this .docx holds no lettersmith build record", file=built,
                                   hint="give the file 'lettersmith build' wrote (out/<brief>.docx)")
    if doc.record is None:
        raise LettersmithError(
            "this .docx holds no lettersmith build record, so there is nothing to compare "
            "its text with", file=path,
            hint="if its text was pasted from a letter lettersmith built, add --built "
                 "out/<brief>.docx; to draft library items from any other letter, use "
                 "'lettersmith ingest'")
    align(doc)
    if not any(p.block is not None for p in doc.paragraphs):
        raise LettersmithError("none of this file's paragraphs matches the letter it records",
                               file=path, hint="is it the reviewed letter, or another document?")
    return compare(doc, reject)


def brief_path(review: Review, given: Path | None) -> Path:
    return given or Path(review.record.brief)


def library_of(review: Review, brief: Path, given: Path | None) -> Library:
    """``--library``, else the brief's library, else the one recorded at build time."""
    from ..brief import read_brief
    from ..build import library_for
    from ..library import load_library
    if given:
        return load_library(given)
    if brief.is_file():
        return library_for(read_brief(brief), None)
    return load_library(Path(review.record.library))


def plan(review: Review, target: str, *, brief: Path | None = None, library: Path | None = None,
         as_variant: bool = False, force: bool = False) -> Plan:
    """What ``--apply brief|library`` would change."""
    from .markup import Citations
    from .to_brief import plan_brief
    from .to_library import plan_library
    path = brief_path(review, brief)
    lib = library_of(review, path, library)
    citations = Citations(review, lib)
    if target == "brief":
        return plan_brief(review, citations, path, lib)
    return plan_library(review, citations, lib, as_variant=as_variant, force=force)


def keep_replaced(review: Review, result: Plan, brief: Path | None, library: Path | None) -> None:
    """Record in the library's history every snippet text ``--apply library`` replaced."""
    if not result.replaced:
        return
    from ..history import record_replaced
    lib = library_of(review, brief_path(review, brief), library)
    for item_id, file, text in result.replaced:
        record_replaced(lib.root, item_id, file, text, f"review of {Path(review.doc.path).name}")
