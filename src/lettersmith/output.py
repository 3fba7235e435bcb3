"""Turning a built letter into files, safely.

Every format is rendered in memory first; only then is anything written, each
file to a temporary name and moved into place, so a failed build leaves nothing
half-written.  A .docx a reviewer has edited since lettersmith wrote it is never
overwritten: the build stops, or with ``force`` keeps the edited file as a
numbered backup first.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from . import model as m
from .errors import LettersmithError, suggest

FORMATS = ("docx", "md", "html", "txt", "pdf")


def parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()]
    for fmt in formats:
        if fmt not in FORMATS:
            raise LettersmithError(f"unknown format {fmt!r}",
                                   hint=suggest(fmt, FORMATS) or "formats: " + ", ".join(FORMATS))
    return list(dict.fromkeys(formats)) or ["docx"]


def render(doc: m.Document, fmt: str, *, letterhead: Path | None = None,
           review: bool = False) -> bytes:
    """The letter in one format, as bytes (writers are imported only when used)."""
    if fmt == "md":
        from .writers.md import write_markdown
        return write_markdown(doc).encode("utf-8")
    if fmt == "txt":
        from .writers.txt import write_text
        return write_text(doc).encode("utf-8")
    if fmt == "html":
        from .writers.html import write_html
        return write_html(doc).encode("utf-8")
    from .writers.docx import render_docx
    docx = render_docx(doc, letterhead=letterhead, review=review)
    if fmt == "docx":
        return docx
    from .pdf import docx_to_pdf
    return docx_to_pdf(docx)


def backup_name(path: Path) -> Path:
    """The first free ``name.edited-N.docx`` beside ``path``."""
    n = 1
    while True:
        candidate = path.with_name(f"{path.stem}.edited-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def check_target(path: Path, force: bool) -> Path | None:
    """Refuse to overwrite a reviewer's edits; with ``force`` say where the backup goes."""
    if path.suffix != ".docx" or not path.exists():
        return None
    from .writers.docx import docx_was_edited
    if not docx_was_edited(path):
        return None
    if not force:
        raise LettersmithError(
            "this file has been changed since lettersmith wrote it (a reviewer's edits?); "
            "it was not overwritten", file=path,
            hint="move it aside, build into another folder with -o, or use --force "
                 "to keep it as a numbered backup and write the new draft")
    return backup_name(path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if path.exists():  # a rewritten file keeps its permissions
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all(files: dict[Path, bytes], force: bool) -> list[str]:
    """Write every file or none; returns notes about backups made."""
    backups = {path: check_target(path, force) for path in files}
    said = []
    for path, data in files.items():
        backup = backups[path]
        if backup is not None:
            shutil.copy2(path, backup)
            said.append(f"kept the edited {path} as {backup}")
        write_atomic(path, data)
    return said
