"""Punctuation where a citation, a quotation or a sentence ends.

One rule set for the citation pass and the styles: a period or comma goes inside
a closing quotation mark (curly or straight); a quotation that already ends in
``?`` or ``!`` takes no period or comma after it; one that ends in a period
takes no second period, and a comma replaces that period.  Nothing doubles.
"""
from __future__ import annotations

import re

CLOSING = ("\u201d", '"')
_STOPS = (".", "?", "!")
_DOUBLED = re.compile(r"(?<!\.\.)([.?!,])([\u201d\"])([.,])(?![.\w])")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence, so a citation after it starts one.

    A closing quotation mark or parenthesis ends a sentence only when a stop is
    inside it (``“routine.”`` does, ``“routine,”`` does not).
    """
    stripped = text.rstrip()
    if not stripped:
        return True
    return stripped.rstrip("\u201d\"\u2019)").endswith(_STOPS)


def add(text: str, mark: str) -> str:
    """``text`` followed by the punctuation ``mark``, never doubled."""
    for char in mark:
        text = _add_one(text, char)
    return text


def _add_one(text: str, mark: str) -> str:
    body = text.rstrip()
    if body.endswith(CLOSING) and mark in ".,":
        inner, quote = body[:-1], body[-1]
        if inner.endswith(("?", "!")) or (inner.endswith(".") and mark == "."):
            return body
        if inner.endswith(",") or (inner.endswith(".") and not inner.endswith("..")):
            inner = inner[:-1]
        return inner + mark + quote
    if mark == "." and body.endswith(_STOPS):
        return body
    if mark == "," and body.endswith(("?", "!")):
        return body
    return text + mark


def tidy(text: str) -> str:
    """Fix doubled marks at a closing quotation mark in running text:
    ``fell.”.`` -> ``fell.”``, ``fell.”,`` -> ``fell,”``, ``police?”,`` -> ``police?”``."""
    if "\u201d" not in text and '"' not in text:
        return text  # no closing quotation mark: nothing to fix (most of a letter's text)
    return _DOUBLED.sub(lambda g: _add_one(g.group(1) + g.group(2), g.group(3)), text)


def quoted_title(title: str) -> str:
    """A title set inside quotation marks: its own double quotation marks become single."""
    title = re.sub(r'(^|(?<=[\s(\[\u2014-]))"', "\u2018", title)
    title = title.replace('"', "\u2019")
    return title.replace("\u201c", "\u2018").replace("\u201d", "\u2019")
