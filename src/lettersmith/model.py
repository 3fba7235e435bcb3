"""The document model every reader produces and every writer consumes.

Like pandoc's AST, but small: blocks hold inlines; a ``Note`` is an inline that
holds blocks.  The parser leaves ``Cite`` inlines in the tree; the citation pass
(:mod:`lettersmith.cite`) replaces every ``Cite`` with formatted inlines, wraps
the ones outside notes in a ``Note``, numbers all notes in reading order and
lists them in ``Document.notes``.  Writers see only the numbered model.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Iterator, Union

# --------------------------------------------------------------------- inlines


@dataclass
class Str:
    """Plain text (may contain spaces)."""

    text: str


@dataclass
class Emph:
    children: list[Inline]


@dataclass
class Strong:
    children: list[Inline]


@dataclass
class Code:
    text: str


LINK_SCHEMES = ("http", "https", "mailto")


def link_target(url: str) -> str:
    """``url`` when it may become a live link (http, https, mailto), else ''.

    Anything else (``javascript:``, ``data:``, ``file:``, relative paths, a
    scheme hidden by case, spaces or control characters) stays plain text."""
    text = str(url).strip()
    scheme, colon, _ = text.partition(":")
    if not colon or scheme.lower() not in LINK_SCHEMES or re.search(r"[\x00-\x20\x7f]", text):
        return ""
    return text


@dataclass
class Link:
    """A link; a ``url`` that may not be a live link is emptied (see :func:`link_target`),
    and every writer prints an empty-url link as its text."""

    children: list[Inline]
    url: str

    def __post_init__(self) -> None:
        self.url = link_target(self.url)


@dataclass
class LineBreak:
    """A hard line break inside a paragraph (address lines, signature lines)."""


@dataclass
class CiteItem:
    """One authority in a citation: ``[See, e.g., @id, at 12 (parenthetical)]``."""

    id: str
    prefix: str = ""  # the signal, e.g. "See, e.g.,"
    locator: str = ""  # the pin, e.g. "12" (the "at"/"p." label is dropped)
    suffix: str = ""  # a parenthetical or other trailing text
    joiner: str = "; "  # what comes before it in a group: "; " or ", " (compare ..., with ...)


@dataclass
class Cite:
    """A citation group: several authorities cited together in one sentence.

    ``line`` is the source line of the Markdown it came from (for error messages).
    """

    items: list[CiteItem]
    line: int | None = None


@dataclass
class NoteRef:
    """A cross-reference to note ``number`` (the N in "*supra* note N").

    Writers print ``label``; the Word writer makes it a NOTEREF field.
    """

    number: int
    label: str = ""


@dataclass
class CiteForm:
    """How the citation pass wrote one cited authority: ``form`` is full, short,
    Id. or supra; ``reason`` says why in a sentence (shown by ``preview``)."""

    source: str
    form: str
    reason: str


@dataclass
class Note:
    """A footnote or endnote.  ``number`` and ``label`` are set by the citation pass.

    ``number`` is the 1-based position in the letter; ``label`` is that number in
    the letter's numbering format ("3", "iii", "III").  ``sources`` lists the
    source ids the note cites, in order; ``forms`` how each citation was written;
    ``cites`` every citation item as it was written (for the build record a review
    reads back).
    """

    blocks: list[Block]
    number: int = 0
    label: str = ""
    sources: list[str] = field(default_factory=list)
    forms: list[CiteForm] = field(default_factory=list)
    cites: list[CiteItem] = field(default_factory=list)


Inline = Union[Str, Emph, Strong, Code, Link, LineBreak, Cite, NoteRef, Note]

# ---------------------------------------------------------------------- blocks


@dataclass
class Para:
    inlines: list[Inline]


@dataclass
class Heading:
    level: int
    inlines: list[Inline]


@dataclass
class ListBlock:
    """A bulleted or numbered list; each item is a list of blocks."""

    ordered: bool
    items: list[list[Block]]
    start: int = 1


@dataclass
class BlockQuote:
    blocks: list[Block]


@dataclass
class Div:
    """A named part of the letter (``::: address``) or a provenance wrapper.

    ``kind`` is the part's name: address, date, via, subject, salutation,
    closing, signoff, signatures, signature-blocks, cc, contact, ... or
    ``snippet`` for an argument block, whose ``attrs`` carry ``id`` and ``hash``,
    or ``block`` for any other body item of the brief.  Both carry ``n``, the
    item's index in the brief's ``body:`` (the Word writer's ``_lsb<n>`` bookmark).
    """

    kind: str
    blocks: list[Block]
    attrs: dict[str, str] = field(default_factory=dict)


Block = Union[Para, Heading, ListBlock, BlockQuote, Div]

# -------------------------------------------------------------------- document


@dataclass
class NoteSettings:
    placement: str = "footnotes"  # footnotes | endnotes
    numbering: str = "arabic"  # arabic | lower-roman | upper-roman


@dataclass
class Document:
    """A letter: its blocks, its numbered notes and its metadata.

    ``meta`` holds plain values the writers may use: title (subject), author,
    date (ISO string), keywords (list), recipient, letterhead (path or None).
    """

    blocks: list[Block]
    notes: list[Note] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)
    note_settings: NoteSettings = field(default_factory=NoteSettings)


# ------------------------------------------------------------------- traversal


def child_inlines(node: object) -> list[Inline] | None:
    """The inline list a node holds, if any."""
    if isinstance(node, (Para, Heading)):
        return node.inlines
    if isinstance(node, (Emph, Strong, Link)):
        return node.children
    return None


def child_blocks(node: object) -> list[Block] | None:
    """The block list a node holds, if any (list items are flattened by ``walk``)."""
    if isinstance(node, (BlockQuote, Div, Note)):
        return node.blocks
    return None


_KIDS: dict[type, str] = {Para: "inlines", Heading: "inlines", Emph: "children",
                          Strong: "children", Link: "children", BlockQuote: "blocks",
                          Div: "blocks", Note: "blocks"}
_LEAVES = frozenset({Str, Code, LineBreak, Cite, NoteRef})


def walk(nodes: list, *, into_notes: bool = True) -> Iterator[object]:
    """Yield every node below ``nodes`` in reading order (depth first).

    A stack of list iterators, not nested generators: a letter's tree is walked
    several times per build, and ``yield from`` costs a frame per level per node.
    Lists are read as the walk reaches them, as a recursive walk reads them."""
    stack = [iter(nodes)]
    while stack:
        for node in stack[-1]:
            yield node
            kind = type(node)
            if kind in _LEAVES or (kind is Note and not into_notes):
                continue
            if kind is ListBlock:
                kids = chain.from_iterable(node.items)  # type: ignore[attr-defined]
            elif kind in _KIDS:
                kids = getattr(node, _KIDS[kind])
            elif isinstance(node, Note) and not into_notes:
                continue
            elif isinstance(node, ListBlock):
                kids = chain.from_iterable(node.items)
            else:
                kids = child_inlines(node)
                if kids is None:
                    kids = child_blocks(node)
            if kids:
                stack.append(iter(kids))
                break
        else:
            stack.pop()


_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


def clone(value: Any) -> Any:
    """A deep copy of model nodes (dataclasses, lists, dicts), four times faster than
    ``copy.deepcopy``: the tree has no cycles and its leaves are immutable (plain
    values are not even looked at twice)."""
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    if kind is list or (kind is not dict and isinstance(value, list)):
        return [v if type(v) in _IMMUTABLE else clone(v) for v in value]
    if isinstance(value, dict):
        return {k: v if type(v) in _IMMUTABLE else clone(v) for k, v in value.items()}
    fields = getattr(value, "__dict__", None)
    if fields is None:
        return value
    fields = fields.copy()
    for key, field_value in fields.items():
        if type(field_value) not in _IMMUTABLE:
            fields[key] = clone(field_value)
    new = object.__new__(kind)
    new.__dict__ = fields
    return new


def plain_text(nodes: list) -> str:
    """The text of inlines or blocks without markup or notes (for titles, search)."""
    out: list[str] = []
    for node in walk(nodes, into_notes=False):
        if isinstance(node, (Str, Code)):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, NoteRef):
            out.append(node.label or str(node.number))
        elif isinstance(node, (Para, Heading)) and out:
            out.append("\n\n")
    return "".join(out).strip()


def format_number(n: int, numbering: str) -> str:
    """A note number in the letter's format: 3 -> "3", "iii" or "III"."""
    if numbering == "arabic":
        return str(n)
    table = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
             (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = []
    for value, letters in table:
        while n >= value:
            out.append(letters)
            n -= value
    roman = "".join(out)
    return roman.upper() if numbering == "upper-roman" else roman
