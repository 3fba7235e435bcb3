"""Carry a reviewer's word-level edits onto the text lettersmith rendered from.

``patch(template, rendered, new)``: ``template`` (a snippet body or a brief's text,
perhaps with ``{{ vars }}``) rendered to ``rendered`` (the Markdown in the build
record); the reviewer's text, as Markdown, is ``new``.  Words the reviewer kept
stay exactly as the template has them (italics, links, template code); words
they changed are replaced.  When an edit falls on words the template computes
(``{{ fact("x") }}``), there is no right answer: ``None``.
"""
from __future__ import annotations

import difflib
import re

# template code is one token, so no word inside it can pass for the letter's text
_TOKEN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\s+|(?:(?!\{[{%#])\S)+", re.S)
_MARKUP = re.compile(r"[*_\\]")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _space_key(token: str) -> str:
    if token.isspace():
        return "\n\n" if token.count("\n") >= 2 else " "
    return token


def _word_key(token: str) -> str:
    """What a token says, ignoring emphasis marks and escapes (Word shows neither)."""
    return _space_key(token) if token.isspace() else _MARKUP.sub("", token)


def patch(template: str, rendered: str, new: str) -> str | None:
    """``template`` with the edits from ``rendered`` to ``new``, or None on a conflict."""
    tail = template[len(template.rstrip()):]
    t, r, n = _tokens(template.rstrip()), _tokens(rendered.rstrip()), _tokens(new.rstrip())
    where: dict[int, int] = {}  # index in r -> index in t, for text the template has literally
    literal = difflib.SequenceMatcher(None, [_space_key(x) for x in r], [_space_key(x) for x in t],
                                      autojunk=False)
    for block in literal.get_matching_blocks():
        for k in range(block.size):
            where[block.a + k] = block.b + k
    edits: list[tuple[int, int, list[str]]] = []
    ops = difflib.SequenceMatcher(None, [_word_key(x) for x in r], [_word_key(x) for x in n],
                                  autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        span = _span(where, i1, i2, len(r), len(t))
        if span is None:
            return None
        edits.append((span[0], span[1], n[j1:j2]))
    for start, end, tokens in sorted(edits, reverse=True):
        t[start:end] = tokens
    return "".join(t) + tail


def _span(where: dict[int, int], i1: int, i2: int, len_r: int, len_t: int) -> tuple[int, int] | None:
    """The template range of rendered tokens ``i1:i2``, when all of them are literal."""
    if i1 < i2:
        inside = [where.get(i) for i in range(i1, i2)]
        if None in inside or inside != list(range(inside[0], inside[0] + len(inside))):  # type: ignore[arg-type]
            return None
        return inside[0], inside[-1] + 1  # type: ignore[operator]
    if i1 in where:
        return where[i1], where[i1]
    if i1 - 1 in where:
        return where[i1 - 1] + 1, where[i1 - 1] + 1
    if i1 == 0 or i1 == len_r:
        return (0, 0) if i1 == 0 else (len_t, len_t)
    return None
