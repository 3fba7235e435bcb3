"""One library item on its own, through the real pipeline: render a one-block
brief, parse, cite and number it.  Used by ``snippets show`` and ``check --library``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import model as m
from .brief import Block, Brief
from .build import document_from
from .library import Item, Library
from .render import Draft, Renderer
from .yamlfile import LineDict

# Stands in for the recipient when an argument is rendered outside a letter.
PLACEHOLDER_RECIPIENT = {"id": "recipient", "name": "[Recipient]", "title": "[Title]",
                         "organization": "[Organization]", "address": ["[Address]"],
                         "salutation": "Dear [Recipient],", "email": "", "short-name": "[Recipient]"}


@dataclass
class Preview:
    """An item rendered alone: its Markdown, numbered document and what it used."""

    item: Item
    markdown: str
    doc: m.Document
    draft: Draft
    missing_vars: list[str] = field(default_factory=list)


def _recording_undefined(missing: list[str]) -> type[jinja2.Undefined]:
    class Recording(jinja2.ChainableUndefined):
        """Renders an unset variable as ``[name]`` and remembers its name."""

        def __str__(self) -> str:
            name = self._undefined_name or "?"
            if name not in missing:
                missing.append(name)
            return f"[{name}]"

    return Recording


def _block_for(item: Item, variables: dict[str, Any]) -> Block:
    if item.kind == "argument":
        return Block("argument", item.id, dict(variables), item.line)
    if item.kind == "quote":
        return Block("quote", item.id, {}, item.line)
    if item.kind == "fact":
        return Block("text", f'{{{{ fact("{item.id}") }}}}', {}, item.line)
    if item.kind == "source":
        return Block("text", f"[@{item.id}]", {}, item.line)
    return Block("text", item.title or item.id, {}, item.line)


def preview_item(library: Library, item: Item, *, date: dt.date | None = None,
                 renderer: Renderer | None = None, vars: dict[str, Any] | None = None) -> Preview:
    """Render ``item`` as a letter of one block with its default vars.

    Variables neither the item nor anything else sets render as ``[name]`` and
    are listed in ``missing_vars`` (a brief using the item has to set them);
    ``vars`` overrides the defaults, as a brief's body item would.
    Raises LettersmithError for whatever would also break a build.
    """
    missing: list[str] = []
    renderer = renderer or Renderer(library)
    renderer.env.undefined = _recording_undefined(missing)
    data = LineDict({"date": date or dt.date.today()})
    data.line, data.lines = 1, {}
    brief = Brief(Path(library.display(item.file)), data, [_block_for(item, vars or {})])
    draft = Draft("", dict(PLACEHOLDER_RECIPIENT), None)
    base: dict[str, Any] = {"to": draft.recipient, "date": brief.date, "brief": {}}
    base.update(renderer._helpers(draft))  # noqa: SLF001 - same package
    draft.markdown = renderer.render_block(brief.body[0], brief, base, draft) + "\n"
    doc = document_from(draft, brief, library)
    return Preview(item, draft.markdown, doc, draft, missing)


def preview_markdown(preview: Preview) -> str:
    """The previewed item as Markdown with its notes, as the md writer writes it."""
    from .writers.md import write_markdown
    return write_markdown(preview.doc)
