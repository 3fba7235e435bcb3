"""Pandoc Markdown: ``[^n]`` note references with their texts at the end, letter
parts as fenced divs.  ``pandoc -f markdown`` reads back the same notes."""
from __future__ import annotations

import re

from .. import model as m
from .base import TextWriter

_SPECIAL = re.compile(r"([\\`*_\[\]<>^~@$|])")
_LINE_START = re.compile(r"^(\s*)([-+#>:]|\d+[.)])", re.M)


def escape(text: str) -> str:
    """Markdown's special characters escaped (line starts are handled by ``line``)."""
    return _SPECIAL.sub(r"\\\1", text)


def line(text: str) -> str:
    """Escape what would start a list, heading or quotation at the start of a line:
    ``2020.`` becomes ``2020\\.`` there (a backslash before a digit would be printed)."""
    return _LINE_START.sub(lambda g: g.group(1) + (
        g.group(2)[:-1] + "\\" + g.group(2)[-1] if g.group(2)[0].isdigit()
        else "\\" + g.group(2)), text)


class MarkdownWriter(TextWriter):
    def write(self) -> str:
        body = self.blocks(self.doc.blocks)
        notes = [self.note_definition(n) for n in self.doc.notes]
        return body + ("\n\n" + "\n\n".join(notes) if notes else "") + "\n"

    def note_definition(self, note: m.Note) -> str:
        text = self.note_text(note).replace("\n", "\n    ")
        text = re.sub(r"\n    (?=\n)", "\n", text)
        return f"[^{note.number}]: {text}"

    # blocks
    def block_para(self, b: m.Para) -> str:
        return line(self.inlines(b.inlines))

    def block_heading(self, b: m.Heading) -> str:
        return "#" * b.level + " " + line(self.inlines(b.inlines))

    def block_listblock(self, b: m.ListBlock) -> str:
        out = []
        for n, item in enumerate(b.items, b.start):
            marker = f"{n}. " if b.ordered else "- "
            text = self.blocks(item).replace("\n", "\n" + " " * len(marker))
            out.append(marker + re.sub(r"\n +(?=\n)", "\n", text))
        return "\n".join(out)

    def block_blockquote(self, b: m.BlockQuote) -> str:
        return "\n".join(("> " + line).rstrip() for line in self.blocks(b.blocks).split("\n"))

    def block_div(self, b: m.Div) -> str:
        if b.kind in ("snippet", "block"):
            return self.blocks(b.blocks)
        return f"::: {b.kind}\n{self.blocks(b.blocks)}\n:::"

    # inlines
    def inline_str(self, n: m.Str) -> str:
        return escape(n.text)

    def inline_emph(self, n: m.Emph) -> str:
        return "*" + self.inlines(n.children) + "*"

    def inline_strong(self, n: m.Strong) -> str:
        return "**" + self.inlines(n.children) + "**"

    def inline_code(self, n: m.Code) -> str:
        return "`" + n.text + "`"

    def inline_link(self, n: m.Link) -> str:
        if not n.url:  # not a web or mail address: its text only
            return self.inlines(n.children)
        text = m.plain_text(n.children)
        if text == n.url:
            return f"<{n.url}>"
        return f"[{self.inlines(n.children)}]({n.url})"

    def inline_linebreak(self, n: m.LineBreak) -> str:
        return "\\\n"

    def inline_note(self, n: m.Note) -> str:
        return f"[^{n.number}]"


def write_markdown(doc: m.Document) -> str:
    return MarkdownWriter(doc).write()
