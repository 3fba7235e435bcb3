"""What the text writers (md, txt, html) share: dispatch on node type."""
from __future__ import annotations

from .. import model as m


class TextWriter:
    """Walks the numbered model; subclasses give one method per node type.

    ``block_<type>`` returns a string for a block; ``inline_<type>`` for an inline.
    """

    block_separator = "\n\n"

    def __init__(self, doc: m.Document) -> None:
        self.doc = doc

    def blocks(self, blocks: list[m.Block]) -> str:
        parts = [self.block(b) for b in blocks]
        return self.block_separator.join(p for p in parts if p)

    def block(self, block: m.Block) -> str:
        return getattr(self, "block_" + type(block).__name__.lower())(block)

    def inlines(self, inlines: list[m.Inline]) -> str:
        return "".join(getattr(self, "inline_" + type(n).__name__.lower())(n) for n in inlines)

    def inline_noteref(self, node: m.NoteRef) -> str:
        return node.label or str(node.number)

    def inline_linebreak(self, node: m.LineBreak) -> str:
        return "\n"

    def note_text(self, note: m.Note) -> str:
        """A note's blocks as one string (paragraphs separated by blank lines)."""
        return self.blocks(note.blocks)
