"""Markdown past letters: pandoc footnotes (``[^n]`` with ``[^n]: text``) and inline
notes (``^[text]``)."""
from __future__ import annotations

import re
from pathlib import Path

from ..safefiles import decode_utf8, read_bytes
from . import RawDoc, RawNote

_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:\s?(.*)$")
_ESCAPE = re.compile(r"\\([\\`*_\[\]<>^~@$|#>:.\-+!'\"])")


def _inline_notes(text: str, notes: list[str]) -> str:
    """Replace each ``^[...]`` (brackets balanced) with a ``[^#k]`` placeholder."""
    out, i = [], 0
    while True:
        start = text.find("^[", i)
        if start < 0:
            return "".join(out) + text[i:]
        depth, j = 0, start + 1
        while j < len(text):
            depth += {"[": 1, "]": -1}.get(text[j], 0)
            if depth == 0:
                break
            j += 1
        notes.append(text[start + 2:j])
        out.append(text[i:start] + f"[^#{len(notes)}]")
        i = j + 1


def read_markdown(path: Path) -> RawDoc:
    lines = decode_utf8(read_bytes(path, path, "letter"), path, "letter").replace("\r\n", "\n").split("\n")
    definitions: dict[str, list[str]] = {}
    body: list[str] = []
    current: list[str] | None = None
    for line in lines:
        match = _DEFINITION.match(line)
        if match:
            current = definitions[match.group(1)] = [match.group(2)]
        elif current is not None and (line.startswith("    ") or line.startswith("\t") or not line.strip()):
            current.append(line.strip())
        else:
            current = None
            body.append(line)
    inline: list[str] = []
    text = _inline_notes("\n".join(body), inline)
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        block = "\n".join(l for l in block.split("\n") if not l.strip().startswith(":::"))
        for part in re.split(r"\\\n", block):  # hard line breaks: address lines, signers
            part = re.sub(r"^#{1,6}\s+", "", " ".join(part.split()))
            if part:
                paragraphs.append(part)
    numbers: dict[str, int] = {}
    notes: dict[int, RawNote] = {}

    def renumber(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            words = inline[int(key[1:]) - 1] if key.startswith("#") else " ".join(
                definitions.get(key, []))
            notes[numbers[key]] = RawNote(numbers[key], key.lstrip("#"), " ".join(words.split()))
        return f"[^{numbers[key]}]"

    paragraphs = [_ESCAPE.sub(r"\1", re.sub(r"\[\^([^\]\s]+)\]", renumber, p)) for p in paragraphs]
    for note in notes.values():
        note.text = _ESCAPE.sub(r"\1", note.text)
    return RawDoc(path, paragraphs, notes)
