"""Plain-text past letters (copied out of a PDF or a web page).

Notes come in several printed forms: arabic numbers glued to punctuation
(``welcome.”1``), superscript digits (``2023.¹``), lower-roman numerals
(``witnesses. iii``), with their texts at the bottom of each page or gathered
at the end.  Notes are numbered in sequence, and that is what makes them
findable: a line is a note's text only when it starts with the next number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import RawDoc, RawNote

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ROMAN = re.compile(r"^(?=[ivxlc])c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_DEF = {
    "arabic": re.compile(r"^\s*(\d{1,3})\s+(\S.*)$"),
    "lower-roman": re.compile(r"^\s*([ivxlc]{1,7})\s+(\S.*)$"),
    "superscript": re.compile(r"^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(\S.*)$"),
}
_PRE = r"(?<!\d)(?P<pre>[.,;:!?][”\"’)]?|[”\"’)])"
_REF = {
    "arabic": re.compile(_PRE + r"(?P<n>\d{1,3})(?=\s|$)"),
    "lower-roman": re.compile(_PRE + r" ?(?P<n>[ivxl]{1,6})(?=\s|$)"),
}
_SUPER_REF = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_URL_END = re.compile(r"https?://\S*[-/_]$")
MONTH = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
         r"Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
DATE_LINE = re.compile(rf"^\s*{MONTH}\s+\d{{1,2}},\s+\d{{4}}\s*$")
SIGNOFF = re.compile(r"^\s*(Sincerely|Respectfully(?: submitted)?|Best regards|Regards|"
                     r"Yours (?:truly|sincerely)|In solidarity|Thank you),?\s*$", re.I)
_OWN_LINE = re.compile(r"^\s*(Dear .*[,:]|Via .{1,40}|Re:.*|RE:.*|Subject:.*|Cc:.*|CC:.*|###)\s*$")
_HEADING = re.compile(r"^\s*\(\d{1,2}\)\s+\S")
_SENTENCE_END = re.compile(r"[.?!:][”\"’)]*(\[\^\d+\])*\s*$")


def roman(text: str) -> int | None:
    """The value of a lower-case roman numeral, or None."""
    if not _ROMAN.match(text):
        return None
    total = 0
    for a, b in zip(text, text[1:] + " "):
        value = _ROMAN_VALUES[a]
        total += -value if b != " " and _ROMAN_VALUES[b] > value else value
    return total


def _value(label: str, style: str) -> int | None:
    if label[0] in "⁰¹²³⁴⁵⁶⁷⁸⁹":
        return int(label.translate(SUPERSCRIPTS))
    if style == "lower-roman":
        return roman(label)
    return int(label) if label.isdigit() else None


def _definition(line: str, style: str) -> tuple[int, str, str] | None:
    """(number, label, text) when ``line`` starts like a note's text."""
    for pattern in (_DEF[style], _DEF["superscript"]):
        match = pattern.match(line)
        if match:
            value = _value(match.group(1), style)
            if value:
                return value, match.group(1), match.group(2)
    return None


def guess_style(lines: list[str]) -> str:
    """The numbering whose note texts form the longest run 1, 2, 3 ... in the file."""
    best, best_len = "arabic", 0
    for style in ("arabic", "lower-roman", "superscript"):
        expected, found = 1, 0
        for line in lines:
            match = _DEF[style].match(line)
            value = _value(match.group(1), style) if match else None
            if value and expected <= value <= expected + 2:
                found += 1
                expected = value + 1
        if found > best_len:
            best, best_len = style, found
    return best if best_len >= 2 else "none"


def join_lines(text: str, line: str) -> str:
    """Join a wrapped line on: no space inside a URL or a word broken at a hyphen."""
    if not text:
        return line.strip()
    if not text.endswith(" ") and (_URL_END.search(text) or text.endswith("-")):
        return text + line.strip()
    return text.rstrip() + " " + line.strip()


def _complete(text: str) -> bool:
    text = text.rstrip()
    if re.search(r"https?://\S+$", text):
        return not _URL_END.search(text)
    return bool(re.search(r"[.)”\"]$", text))


@dataclass
class _Refs:
    """Finds note references in body lines, in sequence."""

    style: str
    last: int = 0

    def mark(self, line: str) -> str:
        def superscript(match: re.Match[str]) -> str:
            value = int(match.group(0).translate(SUPERSCRIPTS))
            self.last = max(self.last, value)
            return f"[^{value}]"

        line = _SUPER_REF.sub(superscript, line)
        pattern = _REF.get(self.style)
        if pattern is None:
            return line

        def numbered(match: re.Match[str]) -> str:
            value = _value(match.group("n"), self.style)
            if value is None or not self.last < value <= self.last + 5:
                return match.group(0)
            self.last = value
            return f"{match.group('pre')}[^{value}]"

        return pattern.sub(numbered, line)


def split_notes(lines: list[str], style: str) -> tuple[list[str], dict[int, RawNote]]:
    """Separate the notes' texts from the body lines (which get ``[^n]`` markers)."""
    refs = _Refs(style)
    notes: dict[int, RawNote] = {}
    body: list[str] = []
    current: RawNote | None = None
    last_def = 0
    for line in lines:
        found = _definition(line, style) if style != "none" else None
        if found and last_def < found[0] <= last_def + 3 and (current or found[0] <= refs.last + 3):
            number, label, text = found
            current = notes[number] = RawNote(number, label, text.strip())
            last_def = number
            continue
        if current is not None:
            if not line.strip():
                continue
            if not (_complete(current.text) and current.number >= refs.last):
                current.text = join_lines(current.text if line[:1] != " " or current.text.endswith(
                    ("-", "/")) else current.text + " ", line)
                continue
            current = None
        body.append(refs.mark(line))
    return body, notes


def paragraphs(lines: list[str], wrapped: bool) -> list[str]:
    """Body lines into paragraphs.  Wrapped text (from a PDF) is joined at blank lines
    that do not end a sentence; after the sign-off every line stands alone."""
    if not wrapped:
        return [line.strip() for line in lines if line.strip()]
    out: list[str] = []
    current = ""
    blank = False
    alone = False
    for line in lines:
        text = line.strip()
        if not text:
            blank = True
            continue
        own = alone or bool(DATE_LINE.match(text) or _OWN_LINE.match(text) or SIGNOFF.match(text)
                            or _HEADING.match(text))
        ends = bool(_SENTENCE_END.search(current)) or _HEADING.match(current) is not None
        if current and (own or (blank and ends) or DATE_LINE.match(current)
                        or _OWN_LINE.match(current)):
            out.append(current)
            current = ""
        current = join_lines(current, line) if current else text
        if own and (SIGNOFF.match(text) or alone):
            alone = True
            out.append(current)
            current = ""
        blank = False
    if current:
        out.append(current)
    return out


def read_text(path: Path) -> RawDoc:
    """A plain-text past letter: paragraphs with ``[^n]`` references, and its notes."""
    text = path.read_text(encoding="utf-8", errors="replace").replace("\u00a0", " ")
    text = text.replace("\r\n", "\n").replace("\f", "\n")
    lines = text.split("\n")
    style = guess_style(lines)
    body, notes = split_notes(lines, style)
    long_lines = sum(1 for line in lines if len(line) > 200)
    wrapped = long_lines < 0.05 * max(1, sum(1 for line in lines if line.strip()))
    numbering = "lower-roman" if style == "lower-roman" else "arabic"
    return RawDoc(path, paragraphs(body, wrapped), notes, numbering)
