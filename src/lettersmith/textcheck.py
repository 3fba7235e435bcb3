"""Checks of the Markdown a template rendered, before it is parsed: characters Word
cannot hold, layout fences only templates may open, notes in headings, and the
citations of a text (kept for a text seen before: a merge renders the same blocks
for every letter)."""
from __future__ import annotations

import re
from collections import OrderedDict

from .errors import LettersmithError
from .parse import cite_ids, cite_spans

_HEADING = re.compile(r"^(?: {0,3}(?:>|[-+*]|\d{1,9}[.)]) *(?! ))* {0,3}#{1,6}(\s|$)")
_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")


_BAD_CHARS = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str, filename: str, first_line: int) -> str:
    """Text Word can hold: a manual line break (\\x0b) becomes a line break; other
    control characters are an error naming where they are."""
    text = text.replace("\x0b", "\\\n")
    bad = _BAD_CHARS.search(text)
    if bad:
        line = first_line + text.count("\n", 0, bad.start())
        raise LettersmithError(
            f"the text holds the control character U+{ord(bad.group()):04X}, which a letter "
            "cannot contain", file=filename, line=line,
            hint="delete it (it often comes from copying out of a PDF or an old Word file)")
    return text


_FENCE = re.compile(r"^ {0,3}:{3,}", re.M)


def no_layout_fence(text: str, filename: str, first_line: int) -> str:
    """Body text may not open or close the letter's layout containers (``::: signatures``
    and the like come only from templates, which also decide their attributes)."""
    fence = _FENCE.search(text)
    if fence:
        line = first_line + text.count("\n", 0, fence.start())
        raise LettersmithError(
            "a line starting with ':::' would open a layout part of the letter; only "
            "templates may do that", file=filename, line=line,
            hint="remove the ':::' line (or write it as \\::: to print the colons)")
    return text


def refuse_heading_notes(markdown: str, filename: str, first_line: int) -> None:
    """A note in a heading would be a note reference in the heading: refuse it."""
    lines = markdown.split("\n")
    for number, text in enumerate(lines):
        setext = number + 1 < len(lines) and _UNDERLINE.match(lines[number + 1])
        if (_HEADING.match(text) or setext) and (cite_spans(text) or "^[" in text):
            raise LettersmithError(
                "a heading cannot carry a citation or a note (Word and pandoc would "
                "put a note reference in the heading)",
                file=filename, line=first_line + number,
                hint="move the citation into the paragraph below the heading")


Citations = list[tuple[int, list[str]]]  # (line offset, source ids) of each citation

# Texts whose citations were found and whose headings carry none.  Bounded, so a
# long merge's memory stays flat.
_CHECKED: OrderedDict[str, Citations] = OrderedDict()
_CHECKED_SIZE = 256


def find_citations(markdown: str) -> Citations:
    """Each bracketed citation of ``markdown``: its line offset and source ids."""
    return [(markdown.count("\n", 0, start), cite_ids(items))
            for start, items in cite_spans(markdown)]


def known_citations(markdown: str) -> Citations | None:
    """The citations of a text checked before (see :func:`remember_citations`), or None."""
    known = _CHECKED.get(markdown)
    if known is not None:
        _CHECKED.move_to_end(markdown)
    return known


def remember_citations(markdown: str, cited: Citations) -> None:
    """Keep the citations of a text whose sources and headings passed their checks."""
    _CHECKED[markdown] = cited
    if len(_CHECKED) > _CHECKED_SIZE:
        _CHECKED.popitem(last=False)
