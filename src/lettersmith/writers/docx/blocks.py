"""Blocks to paragraphs: letter parts as paragraph styles, lists, quotes, body blocks."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .ooxml import qn
from lxml import etree

from lettersmith.model import (Block, BlockQuote, Div, Emph, Heading, Inline, LineBreak,
                               ListBlock, Para, Str, Strong)

from .context import ColumnGroup
from .inlines import write_inlines
from .ooxml import el, ppr_of, sub

if TYPE_CHECKING:
    from docx.opc.part import Part

    from .context import Ctx

# Letter part (Div kind) -> paragraph style name.
PART_STYLES = {
    "date": "Letter Date", "address": "Letter Address", "via": "Letter Via",
    "subject": "Letter Subject", "salutation": "Letter Salutation",
    "closing": "Letter Closing", "signoff": "Letter Signoff",
    "signatures-title": "Letter Signoff",  # a signatories list's title: above the names
    "signatures": "Letter Signature", "signature-blocks": "Letter Signature Block",
    "cc": "Letter CC", "contact": "Letter Contact",
    # the press release's parts (lettersmith.press)
    "press-release-line": "Press Release Line", "press-date": "Press Date",
    "press-contact": "Press Contact", "press-headline": "Press Headline",
    "press-subhead": "Press Subhead", "press-dateline": "Press Dateline",
    "press-body": "Press Body", "press-about": "Press About", "press-end": "Press End",
}


def paragraph(style_id: str | None, inlines: list[Inline], ctx: Ctx, part: Part
              ) -> etree._Element:
    """A ``w:p`` in ``style_id`` holding ``inlines``."""
    p = el("w:p")
    if style_id:
        sub(sub(p, "w:pPr"), "w:pStyle", {"w:val": style_id})
    write_inlines(inlines, p, ctx, part)
    return p


def split_lines(inlines: list[Inline]) -> list[list[Inline]]:
    """Inlines cut at each ``LineBreak`` (one list per line, empty lines dropped)."""
    lines: list[list[Inline]] = [[]]
    for node in inlines:
        if isinstance(node, LineBreak):
            lines.append([])
        else:
            lines[-1].append(node)
    return [line for line in lines if _has_text(line)]


def _has_text(inlines: list[Inline]) -> bool:
    return any(not isinstance(n, Str) or n.text.strip() for n in inlines)


def _label_tab(inlines: list[Inline], label: str) -> list[Inline]:
    """``Re: subject`` -> ``Re:<tab>subject`` (also inside bold, and ``cc:`` followed
    by a line break) so the part's hanging indent lines the text up."""
    if not inlines:
        return inlines
    first = inlines[0]
    if isinstance(first, (Strong, Emph)):
        return [type(first)(_label_tab(first.children, label))] + list(inlines[1:])
    if not isinstance(first, Str) or first.text[:len(label)].lower() != label:
        return inlines
    rest = first.text[len(label):]
    if rest[:1] == " " and rest.strip():
        return [Str(first.text[:len(label)] + "\t" + rest.lstrip())] + list(inlines[1:])
    if not rest.strip() and len(inlines) > 1 and isinstance(inlines[1], LineBreak):
        return [Str(first.text[:len(label)] + "\t")] + list(inlines[2:])
    return inlines


_LABELS = {"Letter Subject": "re:", "Letter CC": "cc:"}


class BlockWriter:
    """Writes blocks into a list of body-level elements for one part."""

    def __init__(self, ctx: Ctx, part: Part, note_style: str | None = None) -> None:
        self.ctx = ctx
        self.part = part
        self.note_style = note_style  # set when writing inside a note

    def blocks(self, blocks: list[Block], style: str | None = None, depth: int = 0
               ) -> list[etree._Element]:
        out: list[etree._Element] = []
        for block in blocks:
            out.extend(self.block(block, style, depth))
        return out

    def _style_id(self, name: str) -> str:
        return self.note_style or self.ctx.styles.id(name)

    def block(self, block: Block, style: str | None, depth: int) -> list[etree._Element]:
        if isinstance(block, Para):
            if not _has_text(block.inlines):
                return []  # never an empty paragraph
            label = _LABELS.get(style or "")
            inlines = _label_tab(block.inlines, label) if label else block.inlines
            return [paragraph(self._style_id(style or "Body Text"), inlines, self.ctx, self.part)]
        if isinstance(block, Heading):
            name = f"Heading {min(max(block.level, 1), 3)}"
            return [paragraph(self._style_id(name), block.inlines, self.ctx, self.part)]
        if isinstance(block, ListBlock):
            return self.list_block(block, depth)
        if isinstance(block, BlockQuote):
            return self.blocks(block.blocks, "Letter Quote", depth)
        if isinstance(block, Div):
            return self.div(block, style, depth)
        return []

    def list_block(self, block: ListBlock, depth: int) -> list[etree._Element]:
        out: list[etree._Element] = []
        num_id = self.ctx.numbering.new_list(block.ordered, block.start) if depth == 0 \
            else self._num_id
        saved = getattr(self, "_num_id", None)
        self._num_id = num_id
        for item in block.items:
            first = True
            for child in item:
                if isinstance(child, ListBlock):
                    out.extend(self.list_block(child, depth + 1))
                    continue
                elements = self.block(child, "Letter List", depth)
                for p in elements:
                    if p.tag != qn("w:p"):
                        continue
                    ppr = ppr_of(p)
                    if first:
                        num = el("w:numPr")
                        sub(num, "w:ilvl", {"w:val": str(min(depth, 2))})
                        sub(num, "w:numId", {"w:val": str(num_id)})
                        ppr.find(qn("w:pStyle")).addnext(num)
                        first = False
                    else:
                        ppr.append(el("w:ind", {"w:left": str(720 * (min(depth, 2) + 1))}))
                out.extend(elements)
        self._num_id = saved  # type: ignore[assignment]
        return out

    def div(self, block: Div, style: str | None, depth: int) -> list[etree._Element]:
        if self.note_style:
            return self.blocks(block.blocks, style, depth)
        kind = block.kind
        if kind in ("snippet", "block"):
            from .provenance import mark_block
            attrs = dict(block.attrs)
            attrs.setdefault("kind", "argument" if kind == "snippet" else "text")
            return mark_block(attrs, self.blocks(block.blocks, style, depth), self.ctx)
        if kind == "signature-blocks":
            from .layout import signature_table
            cells = [self._signature_lines(b) for b in block.blocks]
            per_row = _int(block.attrs.get("per-row"), 3, 1, 4)
            return signature_table([c for c in cells if c], per_row, self.ctx)
        if kind == "signatures":
            return self.signatures(block)
        return self.blocks(block.blocks, PART_STYLES.get(kind, style), depth)

    def _signature_lines(self, block: Block) -> list[etree._Element]:
        style_id = self.ctx.styles.id("Letter Signature Block")
        if isinstance(block, Para):
            return [paragraph(style_id, line, self.ctx, self.part)
                    for line in split_lines(block.inlines)]
        if isinstance(block, Div):
            return [p for b in block.blocks for p in self._signature_lines(b)]
        return self.block(block, "Letter Signature Block", 0)

    def signatures(self, block: Div) -> list[etree._Element]:
        """A sign-on list: one paragraph per signer, set in ``columns`` columns."""
        style_id = self.ctx.styles.id("Letter Signature")
        paras = [b for b in block.blocks if isinstance(b, Para)]
        out: list[etree._Element] = []
        if len(paras) == 1 and len(paras) == len(block.blocks):
            for line in split_lines(paras[0].inlines):
                out.append(paragraph(style_id, line, self.ctx, self.part))
        else:
            out = self.blocks(block.blocks, "Letter Signature")
        columns = _int(block.attrs.get("columns"), 1, 1, 3)
        if columns > 1 and out:
            self.ctx.column_groups.append(ColumnGroup(columns, out[0], out[-1]))
        return out


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value or default), low), high)
    except ValueError:
        return default


def write_note_blocks(blocks: list[Block], ctx: Ctx, part: Part, style_id: str
                      ) -> list[etree._Element]:
    """The paragraphs of one note, all in the note text style."""
    return BlockWriter(ctx, part, note_style=style_id).blocks(blocks)
