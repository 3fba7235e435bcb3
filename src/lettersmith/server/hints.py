"""What a worker built, for the server to load ahead for the next worker: the same
library (checked against its files before use), the letterhead, and one build in
memory of the same brief, which leaves compiled templates and parsed pieces behind."""
from __future__ import annotations

import json
import os
from pathlib import Path

built: list[dict[str, str | None]] = []


def remember(brief: Path, library_root: Path, letterhead: Path | str | None) -> None:
    """Called by ``build`` for each letter it built (costs next to nothing)."""
    if len(built) < 8:
        from ..writers.docx.letterhead import resolve
        built.append({"brief": str(Path(brief).resolve()),
                      "library": str(Path(library_root).resolve()),
                      "letterhead": str(resolve(letterhead).resolve()) if letterhead else None})


def send(fd: int) -> None:
    """Write what was built to the server's pipe (the worker is about to exit)."""
    data = "".join(json.dumps(entry) + "\n" for entry in built).encode()
    try:
        os.write(fd, data[:60000])
    except OSError:
        pass


def receive(data: bytes) -> list[dict[str, str | None]]:
    found = []
    for line in data.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("brief"), str):
            found.append(entry)
    return found


def build_ahead(entry: dict[str, str | None], stamp: tuple[tuple[str, int, int], ...]) -> None:
    """Build the letter in memory (no file, no history) so its library (whose files'
    ``stamp`` was just taken), templates and letterhead are loaded in the server; any
    failure just leaves them unloaded."""
    from ..build import build_letter
    from ..library import load_ahead
    from ..output import render

    library = entry.get("library")
    if library:
        load_ahead(Path(library), stamp)
    letter = build_letter(Path(str(entry["brief"])), Path(library) if library else None)
    head = entry.get("letterhead")
    render(letter.doc, "docx", letterhead=Path(head) if head else letter.brief.letterhead)
