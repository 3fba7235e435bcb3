"""The files ``review --apply`` changes: shown as unified diffs first, then each
written atomically after a numbered backup of what was there (``<name>.bak-N``)."""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from ..output import create_new, first_free, keep_backup, write_atomic


@dataclass
class FileChange:
    path: Path
    old: str | None  # None: a new file (never overwrites one that appeared meanwhile)
    new: str
    why: str = ""

    def diff(self) -> str:
        old = (self.old or "").splitlines(keepends=True)
        new = self.new.splitlines(keepends=True)
        shown = _shown(self.path)
        lines = difflib.unified_diff(old, new, "/dev/null" if self.old is None else f"a/{shown}",
                                     f"b/{shown}")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in lines)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def backup_path(path: Path) -> Path:
    """The first free ``<name>.bak-N`` beside ``path``."""
    return first_free(lambda n: path.with_name(f"{path.name}.bak-{n}"))


def fresh_path(path: Path) -> Path:
    """``path``, or ``<stem>-2<suffix>``, ``-3`` ... when it is taken."""
    if not os.path.lexists(path):
        return path
    return first_free(lambda n: path.with_name(f"{path.stem}-{n}{path.suffix}"), 2)


def write_changes(changes: list[FileChange]) -> list[str]:
    """Write every change; returns one line per file saying what was done."""
    said = []
    for change in changes:
        if change.old is None:
            create_new(change.path, change.new.encode("utf-8"))
            said.append(f"wrote {_shown(change.path)} (new{': ' + change.why if change.why else ''})")
            continue
        backup = keep_backup(change.path, backup_path)
        write_atomic(change.path, change.new.encode("utf-8"))
        said.append(f"wrote {_shown(change.path)} (the old one kept as {_shown(backup)})")
    return said
