"""One standalone HTML page: letter parts as classes, notes at the end linked both ways."""
from __future__ import annotations

from html import escape

from .. import model as m
from .base import TextWriter

_LIST_TYPE = {"arabic": "1", "lower-roman": "i", "upper-roman": "I"}
_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 42em; margin: 3em auto;
       line-height: 1.45; padding: 0 1em; }
.date, .address, .via, .subject, .salutation { margin: 0 0 1em; }
.signatures { column-gap: 2em; }
.signatures p, .signature-blocks p { margin: 0 0 .4em; }
.signature-blocks { display: grid; grid-template-columns: repeat(var(--per-row, 3), 1fr); gap: 1em; }
.cc p, .contact p { margin: .2em 0; }
section.notes { border-top: 1px solid #999; margin-top: 2em; font-size: .9em; }
sup a { text-decoration: none; }
.press-release-line { font-weight: bold; text-transform: uppercase; letter-spacing: .05em; }
.press-release-line p, .press-date p, .press-contact p { margin: 0 0 .3em; }
.press-contact { font-size: .9em; margin-bottom: 1.5em; }
.press-headline p { font-size: 1.6em; font-weight: bold; text-align: center; line-height: 1.2; }
.press-subhead p { font-size: 1.2em; font-style: italic; text-align: center; }
.press-about { font-size: .9em; }
.press-end p { text-align: center; }
""".strip()
CSS = _CSS  # the letter's layout, also used by ``preview``'s page


class HtmlWriter(TextWriter):
    block_separator = "\n"

    def write(self) -> str:
        meta = self.doc.meta
        title = escape(str(meta.get("title") or "Letter"))
        body = self.blocks(self.doc.blocks)
        notes = self.notes_section()
        return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f"<title>{title}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
                f"{body}\n{notes}\n</body>\n</html>\n")

    def notes_section(self) -> str:
        """The numbered notes as a list after the letter ('' when there are none)."""
        if not self.doc.notes:
            return ""
        kind = _LIST_TYPE[self.doc.note_settings.numbering]
        items = "\n".join(
            f'<li id="fn{n.number}">{self.note_text(n)} '
            f'<a href="#fnref{n.number}" class="back" aria-label="Back to text">\u21a9</a></li>'
            for n in self.doc.notes)
        return f'<section class="notes" role="doc-endnotes">\n<ol type="{kind}">\n{items}\n</ol>\n</section>'

    def note_text(self, note: m.Note) -> str:
        text = self.blocks(note.blocks)
        if text.startswith("<p>") and text.count("<p>") == 1:
            text = text[3:-4]
        return text

    def block_para(self, b: m.Para) -> str:
        return f"<p>{self.inlines(b.inlines)}</p>"

    def block_heading(self, b: m.Heading) -> str:
        return f"<h{b.level}>{self.inlines(b.inlines)}</h{b.level}>"

    def block_listblock(self, b: m.ListBlock) -> str:
        tag = "ol" if b.ordered else "ul"
        start = f' start="{b.start}"' if b.ordered and b.start != 1 else ""
        items = "".join(f"<li>{self.blocks(item)}</li>\n" for item in b.items)
        return f"<{tag}{start}>\n{items}</{tag}>"

    def block_blockquote(self, b: m.BlockQuote) -> str:
        return f"<blockquote>\n{self.blocks(b.blocks)}\n</blockquote>"

    def block_div(self, b: m.Div) -> str:
        if b.kind == "block":  # a body item of the brief: no wrapper of its own
            return self.blocks(b.blocks)
        attrs = ""
        if b.kind == "snippet":
            attrs = f' data-snippet="{escape(b.attrs.get("id", ""))}"'
        elif b.attrs.get("columns"):
            attrs = f' style="columns: {escape(b.attrs["columns"])}"'
        elif b.attrs.get("per-row"):
            attrs = f' style="--per-row: {escape(b.attrs["per-row"])}"'
        return f'<div class="{escape(b.kind)}"{attrs}>\n{self.blocks(b.blocks)}\n</div>'

    def inline_str(self, n: m.Str) -> str:
        return escape(n.text, quote=False)

    def inline_code(self, n: m.Code) -> str:
        return f"<code>{escape(n.text)}</code>"

    def inline_emph(self, n: m.Emph) -> str:
        return f"<em>{self.inlines(n.children)}</em>"

    def inline_strong(self, n: m.Strong) -> str:
        return f"<strong>{self.inlines(n.children)}</strong>"

    def inline_link(self, n: m.Link) -> str:
        if not n.url:  # not a web or mail address: its text only
            return self.inlines(n.children)
        return f'<a href="{escape(n.url)}">{self.inlines(n.children)}</a>'

    def inline_linebreak(self, n: m.LineBreak) -> str:
        return "<br>\n"

    def inline_noteref(self, n: m.NoteRef) -> str:
        return f'<a href="#fn{n.number}">{escape(n.label or str(n.number))}</a>'

    def inline_note(self, n: m.Note) -> str:
        return (f'<sup id="fnref{n.number}"><a href="#fn{n.number}" role="doc-noteref">'
                f"{escape(n.label)}</a></sup>")


def write_html(doc: m.Document) -> str:
    return HtmlWriter(doc).write()
