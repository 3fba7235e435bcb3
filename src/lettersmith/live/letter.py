"""The letter as the preview page shows it: the HTML writer's layout, with each
body entry of the brief marked by its place, each argument by its provenance,
each note by how its citations were written, and ``check``'s warnings placed."""
from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

from .. import model as m
from .. import style
from ..brief import Block, Brief
from ..build import Letter, build_letter
from ..checks import check_brief
from ..library import Library
from ..render import Draft, Renderer
from ..writers.html import HtmlWriter


class MarkingRenderer(Renderer):
    """Wraps each body entry of the brief in ``:::: body-item n=INDEX`` so the page
    knows which entry a paragraph came from (where to insert a new block)."""

    def render_block(self, block: Block, brief: Brief, base: dict[str, Any], draft: Draft,
                     n: int = 0) -> str:
        text = super().render_block(block, brief, base, draft, n)
        index = next((i for i, b in enumerate(brief.body) if b is block), -1)
        if index < 0:  # a block rendered outside the body (none today)
            return text
        return f":::: body-item n={index}\n{text}\n::::"


class LiveHtmlWriter(HtmlWriter):
    """The HTML writer, with data attributes the page's script reads."""

    def block_div(self, b: m.Div) -> str:
        if b.kind == "body-item":
            return (f'<div class="body-item" data-n="{escape(b.attrs.get("n", ""))}">\n'
                    f"{self.blocks(b.blocks)}\n</div>")
        if b.kind == "snippet":
            data = "".join(f' data-{key}="{escape(b.attrs.get(key, ""))}"'
                           for key in ("title", "origin", "tags", "sources"))
            return (f'<div class="snippet" data-snippet="{escape(b.attrs.get("id", ""))}"{data}>'
                    f"\n{self.blocks(b.blocks)}\n</div>")
        return super().block_div(b)

    def inline_note(self, n: m.Note) -> str:
        return (f'<sup id="fnref{n.number}" data-note="{n.number}"><a href="#fn{n.number}" '
                f'role="doc-noteref">{escape(n.label)}</a></sup>')

    def fragment(self) -> str:
        """The letter and its notes, without the page around them."""
        return f'{self.blocks(self.doc.blocks)}\n{self.notes_section()}'


def build_live(brief_path: Path, library_dir: Path | None = None) -> Letter:
    """Build as ``build`` does, with the body entries marked."""
    return build_letter(brief_path, library_dir, renderer=MarkingRenderer)


def letter_state(letter: Letter, brief_path: Path, library_dir: Path | None) -> dict[str, Any]:
    """What the page needs: the letter's HTML, each note's citations, and warnings;
    ``error`` is what ``build`` would still stop at (a missing letterhead), else ''."""
    writer = LiveHtmlWriter(letter.doc)
    report = check_brief(brief_path, library_dir, None)
    return {"html": writer.fragment(), "error": str(report.errors[0]) if report.errors else "",
            "notes": {str(n.number): note_info(n, letter.library, writer)
                      for n in letter.doc.notes},
            "warnings": [warning_marks(str(w), letter.doc) for w in report.warnings],
            "body": [f"{b.kind}: {_clip(b.value)}" for b in letter.brief.body],
            "title": str(letter.doc.meta.get("title") or ""),
            "placement": letter.doc.note_settings.placement}


def note_info(note: m.Note, library: Library, writer: HtmlWriter) -> dict[str, Any]:
    """The note's label, and for each citation: the source, the form written and why."""
    cites = []
    for form in note.forms:
        item = library.items.get(form.source)
        data = item.data if item else {}
        cites.append({"id": form.source, "form": form.form, "reason": form.reason,
                      "title": str(data.get("title") or ""), "type": str(data.get("type") or ""),
                      "url": str(data.get("URL") or ""),
                      "where": f"{library.display(item.file)}:{item.line}" if item else "",
                      "full": writer.inlines(style.full_form(data, "")) if item else ""})
    return {"label": note.label, "cites": cites}


_QUOTED_ID = re.compile(r"'([a-z0-9][a-z0-9-]*)'")
_NOTE = re.compile(r"^(?:.*?: )?warning: note (\S+) ")


def warning_marks(text: str, doc: m.Document) -> dict[str, Any]:
    """A warning and where it applies: the arguments and notes its ids name
    (an argument, or one that uses a named fact or source; a note citing a named source)."""
    ids = set(_QUOTED_ID.findall(text))
    match = _NOTE.match(text)
    notes = [n.number for n in doc.notes
             if ids.intersection(n.sources) or (match and n.label == match.group(1))]
    snippets = [d.attrs.get("id", "") for d in m.walk(doc.blocks, into_notes=False)
                if isinstance(d, m.Div) and d.kind == "snippet"
                and (d.attrs.get("id") in ids
                     or ids.intersection(d.attrs.get("sources", "").split(",")))]
    return {"text": text, "notes": notes, "snippets": list(dict.fromkeys(snippets))}


def _clip(value: Any, width: int = 60) -> str:
    text = " ".join(("; ".join(map(str, value)) if isinstance(value, list) else str(value)).split())
    return text if len(text) <= width else text[:width - 1] + "\u2026"
