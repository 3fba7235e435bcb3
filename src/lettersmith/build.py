"""The pipeline: brief + library -> Markdown -> Document (numbered, cited)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from . import model as m
from .brief import Brief, read_brief
from .cite import CiteSettings, apply_citations
from .errors import LetterWarning, LettersmithError, suggest
from .library import Library, load_library
from .parse_cache import parse_letter
from .render import Draft, Renderer
from .review.record import make_record
from .safefiles import resolved


@dataclass
class Letter:
    """A built letter: the brief, its Markdown draft and the numbered document."""

    brief: Brief
    library: Library
    draft: Draft
    doc: m.Document

    @property
    def warnings(self) -> list[LetterWarning]:
        return self.draft.warnings


_RENDERERS: dict[int, Renderer] = {}


def renderer_for(library: Library) -> Renderer:
    """One Jinja environment per library per process."""
    key = id(library)
    if key not in _RENDERERS or _RENDERERS[key].library is not library:  # ids are reused
        _RENDERERS.clear()  # keep only the latest: a long ``preview`` reloads the library often
        _RENDERERS[key] = Renderer(library)
    return _RENDERERS[key]


def library_for(brief: Brief, override: Path | None) -> Library:
    """``--library`` wins, then the brief's ``library:``, then the current folder."""
    root = override or brief.library_root or Path.cwd()
    return load_library(root)


def build_letter(brief_path: Path, library_dir: Path | None = None, *,
                 renderer: Callable[[Library], Renderer] = renderer_for) -> Letter:
    """Read, render, parse and cite one brief (``renderer`` makes the Renderer)."""
    brief = read_brief(brief_path)
    library = library_for(brief, library_dir)
    draft = renderer(library).render(brief)
    doc = document_from(draft, brief, library)
    return Letter(brief, library, draft, doc)


def document_from(draft: Draft, brief: Brief, library: Library) -> m.Document:
    blocks = parse_letter(draft.markdown)
    settings = m.NoteSettings(
        placement=brief.setting("notes", "placement", "footnotes"),
        numbering=brief.setting("notes", "numbering", "arabic"))
    doc = m.Document(blocks, meta=_meta(draft, brief, library), note_settings=settings)

    chosen = chosen_addresses(brief, library)

    def lookup(source_id: str, line: int | None) -> dict[str, Any]:
        data = library.get("source", source_id, file=brief.path, line=line).data
        return chosen.get(source_id, data)

    apply_citations(doc, lookup, CiteSettings(
        subsequent=brief.setting("citations", "subsequent", "supra"),
        ibid=brief.setting("citations", "ibid", True), numbering=settings.numbering))
    for div in m.walk(doc.blocks, into_notes=False):
        if isinstance(div, m.Div) and div.kind == "snippet":
            div.attrs.update(draft.snippets.get(div.attrs.get("id", ""), {}))
            cited = [s for n in m.walk(div.blocks) if isinstance(n, m.Note) for s in n.sources]
            div.attrs["sources"] = ",".join(dict.fromkeys(cited))
    doc.meta["record"] = make_record(doc, draft.blocks, resolved(brief.path),
                                     library, draft.used)
    return doc


def chosen_addresses(brief: Brief, library: Library) -> dict[str, dict[str, Any]]:
    """The sources the brief cites at another address (``addresses: {id: name}``):
    each source's fields with those of its ``also-at: {name: {...}}`` entry laid
    over them (a field set to null there is dropped)."""
    out: dict[str, dict[str, Any]] = {}
    choices = brief.get("addresses") or {}
    for source_id, name in choices.items():
        line = choices.line_of(source_id) if hasattr(choices, "line_of") else None
        item = library.get("source", str(source_id), file=brief.path, line=line)
        also = item.data.get("also-at") or {}
        if not isinstance(also, dict) or str(name) not in also or not isinstance(also[str(name)], dict):
            names = list(also) if isinstance(also, dict) else []
            raise LettersmithError(
                f"source {item.id!r} has no address called {name!r}", file=brief.path, line=line,
                hint=suggest(str(name), names) or (f"its addresses: {', '.join(names)}" if names
                     else f"add also-at: {{{name}: {{URL: ...}}}} to it in "
                          f"{library.display(item.file)}"))
        data = {k: v for k, v in item.data.items() if k != "also-at"}
        for key, value in also[str(name)].items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        out[item.id] = data
    return out


def _meta(draft: Draft, brief: Brief, library: Library) -> dict[str, Any]:
    tags: list[str] = []
    for attrs in draft.snippets.values():
        tags.extend(t for t in attrs.get("tags", "").split(",") if t)
    author = brief.get("author")
    if not author and draft.signatories and draft.signatories.signers:
        signers = draft.signatories.signers
        author = signers[0].name + (" et al." if len(signers) > 1 else "")
    return {
        "title": brief.get("subject") or brief.name,
        "subject": brief.get("subject") or "",
        "author": author or "",
        "keywords": list(dict.fromkeys(tags)),
        "date": brief.date.isoformat(),
        "recipient": draft.recipient.get("name", ""),
        "brief": str(brief.path),
    }
