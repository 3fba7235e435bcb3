"""PDF past letters, read with pdfplumber (which sees each word's font and size).

Text copied out of a PDF loses what tells a note apart: its reference mark is just
a digit glued to a word.  Read from the PDF itself, a note mark is a word set
smaller than the line it sits on and raised above its baseline; a note's text is
a line in a smaller size than the body that starts with such a mark; italics are
words whose font name says Italic or Oblique.  Running headers and footers (the
same text at the same height on several pages) and page numbers are dropped.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LettersmithError
from . import RawDoc, RawNote
from .text import join_lines, paragraphs, roman

_LABEL = re.compile(r"^(\d{1,3}|[ivxlc]{1,7})$")
_ITALIC = re.compile(r"italic|oblique", re.I)
_URL_TAIL = re.compile(r"https?://\S+$")
_ITALIC_JOIN = re.compile(r"\* \*")  # an italic phrase broken over two lines is one


@dataclass
class _Line:
    """Words on one printed line, left to right, and where the line sits."""

    page: int
    top: float
    bottom: float
    words: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> float:
        """The size most of the line's letters are set in."""
        sizes: Counter[float] = Counter()
        for word in self.words:
            sizes[round(word["size"], 1)] += len(word["text"])
        return sizes.most_common(1)[0][0]

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


def _lines(pages: list[Any]) -> list[_Line]:
    """Every page's words grouped into lines; a raised mark joins the line it overlaps."""
    out: list[_Line] = []
    for number, page in enumerate(pages):
        words = page.extract_words(extra_attrs=["size", "fontname"], use_text_flow=False)
        lines: list[_Line] = []
        for word in sorted(words, key=lambda w: (w["bottom"], w["x0"])):
            height = max(word["bottom"] - word["top"], 0.1)
            home = next((line for line in reversed(lines)
                         if min(line.bottom, word["bottom"]) - max(line.top, word["top"])
                         > 0.4 * height), None)
            if home is None:
                home = _Line(number, word["top"], word["bottom"])
                lines.append(home)
            home.words.append(word)
            home.top, home.bottom = min(home.top, word["top"]), max(home.bottom, word["bottom"])
        for line in lines:
            line.words.sort(key=lambda w: w["x0"])
        out.extend(sorted(lines, key=lambda line: line.top))
    return out


def _segments(line: _Line) -> list[list[dict[str, Any]]]:
    """The line cut where a gap wider than two letters' height separates columns."""
    parts: list[list[dict[str, Any]]] = [[]]
    for word in line.words:
        if parts[-1] and word["x0"] - parts[-1][-1]["x1"] > 2 * line.size:
            parts.append([])
        parts[-1].append(word)
    return parts


def _columns(lines: list[_Line]) -> list[_Line]:
    """Lines set in columns (a sign-on list, signature blocks) read column by column;
    a line indented within its column continues the entry above it."""
    out: list[_Line] = []
    index = 0
    while index < len(lines):
        parts = _segments(lines[index])
        if len(parts) < 2 or parts[0][-1]["text"].endswith(":"):
            out.append(lines[index])
            index += 1
            continue
        starts = [part[0]["x0"] for part in parts]
        page, size = lines[index].page, lines[index].size
        columns: list[list[_Line]] = [[] for _ in starts]
        while index < len(lines) and lines[index].page == page:
            line = lines[index]
            pieces = _segments(line)
            near = [min(range(len(starts)), key=lambda c: abs(starts[c] - p[0]["x0"]))
                    for p in pieces]
            if any(p[0]["x0"] < starts[c] - size for p, c in zip(pieces, near)) or \
                    pieces[0][-1]["text"].endswith(":"):
                break  # not in the columns any more
            for piece, column in zip(pieces, near):
                entries = columns[column]
                if entries and piece[0]["x0"] > starts[column] + 0.5 * size:
                    entries[-1].words.extend(piece)  # a wrapped name
                else:
                    entries.append(_Line(page, line.top, line.bottom, list(piece)))
            index += 1
        out.extend(entry for column in columns for entry in column)
    return out


def _is_mark(word: dict[str, Any], line: _Line) -> bool:
    """A note mark: smaller than the line's text, raised above its baseline, a number."""
    size = line.size
    return (word["size"] < 0.85 * size and word["bottom"] < line.bottom - 0.2 * size
            and bool(_LABEL.match(word["text"])))


def _furniture(lines: list[_Line], pages: int) -> set[int]:
    """Lines repeated on several pages at the same height (headers, footers), and page numbers."""
    seen: Counter[tuple[str, int]] = Counter()
    for line in lines:
        seen[(re.sub(r"\d+", "#", line.text), round(line.top / 4))] += 1
    drop = set()
    for index, line in enumerate(lines):
        repeated = pages > 1 and seen[(re.sub(r"\d+", "#", line.text), round(line.top / 4))] > 1
        if repeated or re.fullmatch(r"(Page )?\d{1,3}( of \d{1,3})?", line.text):
            drop.add(index)
    return drop


def _value(label: str, numbering: str) -> int | None:
    if label.isdigit():
        return int(label)
    return roman(label) if numbering == "lower-roman" else None


def _words_text(words: list[dict[str, Any]], line: _Line, numbering: str,
                marks: list[int]) -> str:
    """The words as text: marks as ``[^n]`` glued to the word before, italics as ``*...*``."""
    out = ""
    italic = False
    end = None  # where the word before ended: a word starting there is glued on
    for word in words:
        if _is_mark(word, line):
            value = _value(word["text"], numbering)
            if value is not None:
                if italic:
                    out, italic = out + "*", False
                out += f"[^{value}]"
                marks.append(value)
                end = word["x1"]
                continue
        glued = end is not None and -1 < word["x0"] - end < 0.1 * word["size"]
        space = "" if not out or glued else " "
        slanted = bool(_ITALIC.search(word["fontname"])) and bool(word["text"].strip(".,;:"))
        if slanted and not italic:
            out += space + "*" + word["text"]
        elif italic and not slanted:
            out += "*" + space + word["text"]
        else:
            out += space + word["text"]
        italic, end = slanted, word["x1"]
    return out + ("*" if italic else "")


def read_pdf(path: Path) -> RawDoc:
    """A PDF past letter: body paragraphs with ``[^n]`` references, and its notes."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(path) as pdf:
            lines = _lines(pdf.pages)
            page_count = len(pdf.pages)
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError) as err:
        raise LettersmithError(f"cannot read this PDF ({err})", file=path,
                               hint="re-save it with a PDF printer, or copy its text into a .txt") from None
    if not lines:
        raise LettersmithError("the PDF has no text (a scan?)", file=path,
                               hint="run it through OCR first, or type the letter into a .txt")
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    body_size = sizes.most_common(1)[0][0]
    labels = [w["text"] for line in lines for w in line.words if _is_mark(w, line)]
    numbering = "lower-roman" if labels and sum(not t.isdigit() for t in labels) > len(labels) / 2 \
        else "arabic"
    drop = _furniture(lines, page_count)
    lines = _columns([line for index, line in enumerate(lines) if index not in drop])
    body: list[str] = []
    notes: dict[int, RawNote] = {}
    current: RawNote | None = None
    previous: _Line | None = None
    for line in lines:
        small = line.size < 0.92 * body_size
        first = line.words[0]
        if small and _is_mark(first, line) and _value(first["text"], numbering):
            number = _value(first["text"], numbering) or 0
            text = _words_text(line.words[1:], line, numbering, [])
            current = notes[number] = RawNote(number, first["text"], text)
        elif small and current is not None:
            more = _words_text(line.words, line, numbering, [])
            if _URL_TAIL.search(current.text) and more[:1] in "%?&=#":
                current.text += more  # a web address broken at the line's end
            else:
                current.text = join_lines(current.text, more)
        else:
            current = None
            if previous is not None and _new_paragraph(previous, line, body_size):
                body.append("")
            body.append(_words_text(line.words, line, numbering, []))
            previous = line
    for note in notes.values():
        note.text = _ITALIC_JOIN.sub(" ", note.text)
    return RawDoc(path, [_ITALIC_JOIN.sub(" ", p) for p in paragraphs(body, wrapped=True)],
                  dict(sorted(notes.items())), numbering)


def _new_paragraph(before: _Line, line: _Line, body_size: float) -> bool:
    """A gap wider than the line spacing, or a new page, starts a paragraph."""
    if line.page != before.page:
        return False  # a paragraph runs on over the page break
    return line.top - before.bottom > 0.6 * body_size
