"""The one error type users see, and the "did you mean" helper."""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Iterable


def _where(file: str | None, line: int | None) -> str:
    """The "file:line: " prefix of a message, or ''."""
    if not file:
        return ""
    return file + (f":{line}" if line else "") + ": "


class LettersmithError(Exception):
    """An input mistake: reported as ``file:line: message`` plus a fix, exit status 1."""

    def __init__(self, message: str, *, file: str | Path | None = None,
                 line: int | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        text = f"{_where(self.file, self.line)}{self.message}"
        if self.hint:
            text += f"\n  {self.hint}"
        return text


class LetterWarning:
    """A problem that does not stop a build (reported by ``check`` and ``build``)."""

    def __init__(self, message: str, *, file: str | Path | None = None,
                 line: int | None = None) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line

    def __str__(self) -> str:
        return f"{_where(self.file, self.line)}warning: {self.message}"


def suggest(name: str, choices: Iterable[str], n: int = 3) -> str:
    """A "did you mean" hint naming the closest valid choices, or ''."""
    choices = sorted(set(choices))
    close = difflib.get_close_matches(name, choices, n=n, cutoff=0.5)
    if not close:
        close = [c for c in choices if name and (name in c or c in name)][:n]
    if not close:
        return ""
    return "did you mean " + ", ".join(repr(c) for c in close) + "?"
