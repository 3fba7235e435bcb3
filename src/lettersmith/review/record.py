"""The build record: what lettersmith wrote, block by block, kept inside the .docx.

:func:`make_record` is called once per build, after the citation pass; the Word
writer embeds :func:`record_json` of it as a custom XML part, and the reader gets
it back with :func:`record_from_json`.  A record is enough to show the text
lettersmith originally wrote without the library or the history: each body item
of the brief with its snippet id, hash, title, paragraphs, Markdown source and
notes, plus the brief and library paths and each used item's hash at build time.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING, Any

from lettersmith import model as m
from lettersmith.errors import LettersmithError
from lettersmith.safefiles import resolved

from .model import BuildRecord, RecordBlock, RecordNote

if TYPE_CHECKING:
    from lettersmith.library import Item, Library

RECORD_VERSION = 1
RECORD_NAMESPACE = "urn:lettersmith:build-record:1"


def item_hash(item: Item) -> str:
    """The hash of a library item as it is stored: an argument's whole file text,
    any other item's fields (canonical JSON).  ``--apply library`` compares it with
    the one recorded at build time to refuse overwriting a snippet changed since."""
    if item.kind == "argument":
        try:
            text = item.file.read_text(encoding="utf-8")
        except OSError:
            text = item.body
    else:
        text = json.dumps(item.data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def inline_text(inlines: list[m.Inline]) -> str:
    """A paragraph's text as the Word writer writes it, note marks left out."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, (m.Str, m.Code)):
            out.append(node.text.replace("\r\n", " ").replace("\n", " ").replace("\x0b", "\n"))
        elif isinstance(node, m.LineBreak):
            out.append("\n")
        elif isinstance(node, m.NoteRef):
            out.append(node.label or str(node.number))
        elif isinstance(node, (m.Emph, m.Strong, m.Link)):
            out.append(inline_text(node.children))
    return "".join(out)


def block_paragraphs(blocks: list[m.Block]) -> list[str]:
    """The text of every non-empty paragraph the blocks become, in order."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, (m.Para, m.Heading)):
            text = inline_text(block.inlines)
            if text.strip():
                out.append(text)
        elif isinstance(block, m.ListBlock):
            for item in block.items:
                out.extend(block_paragraphs(item))
        elif isinstance(block, (m.BlockQuote, m.Div)):
            out.extend(block_paragraphs(block.blocks))
    return out


def note_text(note: m.Note) -> str:
    """A note's text: its paragraphs joined by a newline."""
    return "\n".join(block_paragraphs(note.blocks))


def _record_note(note: m.Note) -> RecordNote:
    cites = [{"id": c.id, "prefix": c.prefix, "locator": c.locator, "suffix": c.suffix}
             for c in note.cites]
    return RecordNote(label=note.label, text=note_text(note), cites=cites)


def body_divs(blocks: list[m.Block]) -> list[m.Div]:
    """The ``snippet``/``block`` parts that carry a body item's index ``n``, in order."""
    return [d for d in m.walk(blocks, into_notes=False)
            if isinstance(d, m.Div) and d.kind in ("snippet", "block") and "n" in d.attrs]


def make_record(doc: m.Document, blocks: list[dict[str, Any]], brief_path: str,
                library: Library, used: dict[str, list[str]]) -> BuildRecord:
    """The record of a numbered document; ``blocks`` is ``Draft.blocks``."""
    divs = {d.attrs["n"]: d for d in body_divs(doc.blocks)}
    record = BuildRecord(version=RECORD_VERSION, brief=brief_path, library=resolved(library.root),
                         built=str(doc.meta.get("date") or ""))
    for info in blocks:
        div = divs.get(str(info["item"]))
        notes = [n for n in m.walk(div.blocks) if isinstance(n, m.Note)] if div else []
        record.blocks.append(RecordBlock(
            kind=info["kind"], item=int(info["item"]), id=info.get("id"),
            hash=info.get("hash", ""), title=info.get("title", ""),
            paragraphs=block_paragraphs(div.blocks) if div else [],
            source=info.get("source", ""), notes=[_record_note(n) for n in notes]))
    for ids in used.values():
        for item_id in ids:
            item = library.items.get(item_id)
            if item is not None and item_id not in record.snippet_hashes:
                record.snippet_hashes[item_id] = item_hash(item)
    return record


def _fields(value: Any) -> dict[str, Any]:
    """A record dataclass's fields, for the JSON encoder (what ``asdict`` gives, without
    deep-copying every value first: a twentieth of a merged letter's time)."""
    if not is_dataclass(value) or isinstance(value, type):
        raise TypeError(f"{type(value).__name__} is not a record")
    return {f.name: getattr(value, f.name) for f in fields(value)}


def record_json(record: BuildRecord) -> str:
    """The record as compact, stable JSON."""
    return json.dumps(record, default=_fields, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def record_from_json(text: str, file: str | None = None) -> BuildRecord:
    """The record back from its JSON; a damaged record is a LettersmithError."""
    try:
        data = json.loads(text)
        blocks = []
        for b in data.get("blocks") or []:
            notes = [RecordNote(label=_str(n.get("label")), text=_str(n.get("text")),
                                cites=[{k: _str(c.get(k)) for k in ("id", "prefix", "locator",
                                                                    "suffix")}
                                       for c in n.get("cites") or []])
                     for n in b.get("notes") or []]
            blocks.append(RecordBlock(
                kind=_str(b.get("kind")), item=int(b.get("item", 0)),
                id=b.get("id") if isinstance(b.get("id"), str) else None,
                hash=_str(b.get("hash")), title=_str(b.get("title")),
                paragraphs=[_str(p) for p in b.get("paragraphs") or []],
                source=_str(b.get("source")), notes=notes))
        hashes = data.get("snippet_hashes") or {}
        return BuildRecord(version=int(data.get("version", 0)), brief=_str(data.get("brief")),
                           library=_str(data.get("library")), built=_str(data.get("built")),
                           blocks=blocks,
                           snippet_hashes={_str(k): _str(v) for k, v in hashes.items()})
    except (ValueError, TypeError, AttributeError) as err:
        raise LettersmithError(f"the build record inside the file is damaged ({err})",
                               file=file,
                               hint="review still works from the text; rebuild the letter "
                                    "to get a fresh record") from None
