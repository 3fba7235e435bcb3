"""Plain text for an email body: note markers in brackets, notes listed at the end."""
from __future__ import annotations

from .. import model as m
from .base import TextWriter


class TextOnlyWriter(TextWriter):
    def write(self) -> str:
        body = self.blocks(self.doc.blocks)
        if not self.doc.notes:
            return body + "\n"
        width = max(len(n.label) for n in self.doc.notes)
        notes = [f"{n.label + '.':<{width + 1}} " + self.note_text(n).replace("\n", "\n" + " " * (width + 2))
                 for n in self.doc.notes]
        return body + "\n\n" + "Notes\n\n" + "\n".join(notes) + "\n"

    def block_para(self, b: m.Para) -> str:
        return self.inlines(b.inlines)

    def block_heading(self, b: m.Heading) -> str:
        return self.inlines(b.inlines)

    def block_listblock(self, b: m.ListBlock) -> str:
        return "\n".join((f"{n}. " if b.ordered else "- ") + self.blocks(item)
                         for n, item in enumerate(b.items, b.start))

    def block_blockquote(self, b: m.BlockQuote) -> str:
        return "\n".join("    " + line for line in self.blocks(b.blocks).split("\n"))

    def block_div(self, b: m.Div) -> str:
        if b.kind in ("signatures", "signature-blocks"):
            return "\n".join(self.blocks([x]) for x in b.blocks) if b.kind == "signatures" \
                else self.blocks(b.blocks)
        return self.blocks(b.blocks)

    def inline_str(self, n: m.Str) -> str:
        return n.text.replace("\u2011", "-")  # plain text: a plain hyphen

    def inline_code(self, n: m.Code) -> str:
        return n.text

    def inline_emph(self, n: m.Emph) -> str:
        return self.inlines(n.children)

    inline_strong = inline_emph

    def inline_link(self, n: m.Link) -> str:
        text = self.inlines(n.children)
        return text if text == n.url else f"{text} ({n.url})"

    def inline_note(self, n: m.Note) -> str:
        return f"[{n.label}]"


def write_text(doc: m.Document) -> str:
    return TextOnlyWriter(doc).write()
