"""One letter per row, in a worker process (or in the command's own process).

A worker reads the brief and the library once, then builds each row of its
batch: the brief with ``to:`` set to the row's recipient and ``vars.row`` to its
cells, through the same pipeline and writers as ``build`` (so the bytes are the
same), writes the files atomically, and records the batch in the history in one
transaction.  Only small outcomes travel back, so memory stays flat.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..brief import Brief, read_brief
from ..build import Letter, document_from, library_for, renderer_for
from ..errors import LettersmithError
from ..library import Library
from ..output import render, write_all, write_atomic
from ..yamlfile import LineDict
from .fields import RowVars
from .table import norm, slug


@dataclass(frozen=True)
class Settings:
    """What every worker needs (picklable)."""

    brief: Path
    library: Path | None
    formats: tuple[str, ...]
    out_dir: Path
    letterhead: Path | None
    review: bool
    force: bool
    merge_id: str
    source: str  # the recipients, as the user named them
    columns: tuple[str, ...]
    staging: Path | None = None  # where .docx copies wait for the one PDF run
    check: bool = False  # build every letter in memory, write nothing


@dataclass
class Task:
    index: int
    where: str  # "row 7"
    stem: str  # the file name without extension
    to: dict[str, Any] | str
    row: dict[str, str]


@dataclass
class Outcome:
    index: int
    where: str
    recipient: str = ""
    email: str = ""
    files: list[str] = field(default_factory=list)
    notes: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class _State:
    settings: Settings
    brief: Brief
    library: Library


_STATE: _State | None = None


def init(settings: Settings) -> None:
    """Read the brief and the library once per process (a forked worker inherits them)."""
    global _STATE
    if _STATE is not None and _STATE.settings == settings:
        return
    brief = read_brief(settings.brief)
    _STATE = _State(settings, brief, library_for(brief, settings.library))
    renderer_for(_STATE.library)


def row_brief(brief: Brief, to: dict[str, Any] | str, row: dict[str, str]) -> Brief:
    """The brief as ``build`` would read it with ``to:`` and ``vars: {row: ...}`` set."""
    data = LineDict(brief.data)
    data.line, data.lines = brief.data.line, dict(getattr(brief.data, "lines", {}))
    line = data.line_of("to") if "to" in data else data.line
    if isinstance(to, dict):
        recipient = LineDict(to)
        recipient.line, recipient.lines = line, {k: line for k in to}
        data["to"] = recipient
    else:
        data["to"] = to
    data.lines.setdefault("to", line)
    variables = LineDict(brief.data.get("vars") or {})
    variables.line, variables.lines = data.line_of("vars"), {}
    variables["row"] = RowVars(row)
    data["vars"] = variables
    data.lines.setdefault("vars", data.line)
    return Brief(brief.path, data, brief.body)


def build_row(brief: Brief, library: Library, to: dict[str, Any] | str,
              row: dict[str, str]) -> Letter:
    """One row's letter: rendered, parsed and cited."""
    letter_brief = row_brief(brief, to, row)
    draft = renderer_for(library).render(letter_brief)
    return Letter(letter_brief, library, draft, document_from(draft, letter_brief, library))


def run_batch(tasks: list[Task]) -> list[Outcome]:
    """Build and write each task's letter; record the batch in the history."""
    from .. import history

    assert _STATE is not None, "init() first"
    state, settings = _STATE, _STATE.settings
    outcomes, records = [], []
    head = settings.letterhead or state.brief.letterhead
    for task in tasks:
        outcome = Outcome(task.index, task.where)
        try:
            letter = build_row(state.brief, state.library, task.to, task.row)
            outcome.recipient = str(letter.draft.recipient.get("name", ""))
            outcome.email = str(letter.draft.recipient.get("email", ""))
            if settings.check:
                outcome.notes = len(letter.doc.notes)
                outcome.warnings = [str(w) for w in letter.warnings]
                outcomes.append(outcome)
                continue
            files = {settings.out_dir / f"{task.stem}.{fmt}":
                     render(letter.doc, fmt, letterhead=head, review=settings.review)
                     for fmt in settings.formats if fmt != "pdf"}
            if "pdf" in settings.formats and settings.staging is not None:
                docx = files.get(settings.out_dir / f"{task.stem}.docx") or \
                    render(letter.doc, "docx", letterhead=head)
                write_atomic(settings.staging / f"{task.stem}.docx", docx)
            outcome.warnings = [str(w) for w in letter.warnings]
            outcome.warnings += write_all(files, settings.force)
        except LettersmithError as err:
            outcome.error = str(explain(err, task, settings))
            outcomes.append(outcome)
            continue
        paths = list(files) + ([settings.out_dir / f"{task.stem}.pdf"]
                               if "pdf" in settings.formats else [])
        outcome.files = [p.name for p in paths]
        outcome.notes = len(letter.doc.notes)
        records.append(history.letter_record(letter, paths, settings.merge_id))
        outcomes.append(outcome)
    if records:
        try:
            history.record_letters(state.library.root, records)
        except (OSError, history.sqlite3.Error) as err:
            outcomes[-1].warnings.append(f"warning: not recorded in the history: {err}")
    return outcomes


_MISSING = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")


def explain(err: LettersmithError, task: Task, settings: Settings) -> LettersmithError:
    """A failure of one row's letter, said in terms of the row and its column."""
    found = _MISSING.search(err.message)
    name = (found.group(1) or found.group(2)) if found else ""
    column = next((c for c in settings.columns
                   if name and (c == name or slug(c) == name or norm(c) == norm(name))), "")
    where = f"{err.file}:{err.line}" if err.file and err.line else (err.file or "")
    if column:
        return LettersmithError(
            f"{task.where}, column {column}: the cell is empty, and the letter uses it"
            + (f" ({where})" if where else ""), file=settings.source,
            hint=f"fill in {column} in {task.where}, or leave the row out with --where")
    return LettersmithError(f"{task.where}: {err.message}" + (f" ({where})" if where else ""),
                            file=settings.source, hint=err.hint)
