"""The citation pass: run once over the model, before any writer.

It turns every ``Cite`` outside a note into a note of its own, numbers all
notes in reading order, and writes each citation in full, short, *supra* or
*Id.* form by the rules in DESIGN.md ("Citation style").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from . import model as m
from . import style
from .parse import parse_inline

SourceLookup = Callable[[str, int | None], dict[str, Any]]
_SENTENCE_END = (".", "?", "!", ":", "\u201d", '"')
_MOVABLE = ".,;:?!"


@dataclass
class CiteSettings:
    subsequent: str = "supra"  # supra | short | full
    ibid: bool = True
    numbering: str = "arabic"


@dataclass
class _State:
    settings: CiteSettings
    lookup: SourceLookup
    count: int = 0
    first_note: dict[str, int] = field(default_factory=dict)
    last_note: dict[str, int] = field(default_factory=dict)
    chain: tuple[str, str] | None = None  # (source id, locator) an Id. may refer to
    notes: list[m.Note] = field(default_factory=list)


def apply_citations(doc: m.Document, lookup: SourceLookup, settings: CiteSettings) -> None:
    """Number the notes of ``doc`` and write out every citation, in place."""
    state = _State(settings, lookup)
    _blocks(doc.blocks, state)
    doc.notes = state.notes


def _blocks(blocks: list[m.Block], state: _State) -> None:
    for block in blocks:
        if isinstance(block, (m.Para, m.Heading)):
            block.inlines[:] = _body_inlines(block.inlines, state)
        elif isinstance(block, m.ListBlock):
            for item in block.items:
                _blocks(item, state)
        elif isinstance(block, (m.BlockQuote, m.Div)):
            _blocks(block.blocks, state)


def _body_inlines(inlines: list[m.Inline], state: _State) -> list[m.Inline]:
    """Inlines of the letter's text: citations become notes, notes get numbers."""
    out: list[m.Inline] = []
    pending = list(inlines)
    while pending:
        node = pending.pop(0)
        if isinstance(node, m.Cite):
            # Pandoc's rule: a note goes after the punctuation that follows it.
            if out and isinstance(out[-1], m.Str):
                out[-1].text = out[-1].text.rstrip()
            if pending and isinstance(pending[0], m.Str):
                text = pending[0].text
                moved = len(text) - len(text.lstrip(_MOVABLE))
                if moved:
                    _put_punctuation(out, text[:moved])
                    pending[0] = m.Str(text[moved:])
            note = m.Note([m.Para([node])])
            out.append(note)
            _note(note, state)
        elif isinstance(node, m.Note):
            out.append(node)
            _note(node, state)
        elif isinstance(node, (m.Emph, m.Strong, m.Link)):
            node.children[:] = _body_inlines(node.children, state)
            out.append(node)
        else:
            out.append(node)
    return [n for n in out if not (isinstance(n, m.Str) and not n.text)]


def _put_punctuation(out: list[m.Inline], punct: str) -> None:
    """Add punctuation before a note; periods and commas go inside a closing quote."""
    last = out[-1] if out else None
    if isinstance(last, m.Str) and last.text.endswith("\u201d") and punct[0] in ".,":
        last.text = last.text[:-1] + punct[0] + "\u201d" + punct[1:]
    else:
        out.append(m.Str(punct))


def _note(note: m.Note, state: _State) -> None:
    state.count += 1
    note.number = state.count
    note.label = m.format_number(note.number, state.settings.numbering)
    state.notes.append(note)
    cited: list[tuple[str, str]] = []
    for block in note.blocks:
        for container in _inline_lists(block):
            container[:] = _note_inlines(container, note, state, cited)
            _end_sentence(container)
    note.sources = list(dict.fromkeys(source for source, _ in cited))
    # The next note may say Id. only when this one cites exactly one authority.
    state.chain = cited[-1] if len(note.sources) == 1 else None


def _inline_lists(block: m.Block) -> list[list[m.Inline]]:
    if isinstance(block, (m.Para, m.Heading)):
        return [block.inlines]
    if isinstance(block, m.ListBlock):
        return [lst for item in block.items for b in item for lst in _inline_lists(b)]
    if isinstance(block, (m.BlockQuote, m.Div)):
        return [lst for b in block.blocks for lst in _inline_lists(b)]
    return []


def _note_inlines(inlines: list[m.Inline], note: m.Note, state: _State,
                  cited: list[tuple[str, str]]) -> list[m.Inline]:
    out: list[m.Inline] = []
    for index, node in enumerate(inlines):
        if isinstance(node, m.Cite):
            before = m.plain_text(out) if out else ""
            starts = not before.strip() or before.rstrip().endswith(_SENTENCE_END)
            if out and _last_char(out) not in " (\n":
                out.append(m.Str(" "))
            out.extend(_group(node, note, state, starts, cited))
            after = inlines[index + 1] if index + 1 < len(inlines) else None
            ends_here = after is None or (isinstance(after, m.Str) and after.text.strip() == "")
            if starts and not ends_here and not (
                    isinstance(after, m.Str) and after.text[:1] in _MOVABLE + ")"):
                out.append(m.Str("."))
        elif isinstance(node, (m.Emph, m.Strong, m.Link)):
            node.children[:] = _note_inlines(node.children, note, state, cited)
            out.append(node)
        else:
            out.append(node)
    return out


def _last_char(inlines: list[m.Inline]) -> str:
    """The last character the inlines show ("\n" for a line break)."""
    last = inlines[-1] if inlines else None
    if isinstance(last, (m.Str, m.Code)):
        return last.text[-1:] or " "
    if isinstance(last, (m.Emph, m.Strong, m.Link)):
        return _last_char(last.children)
    return "\n" if isinstance(last, m.LineBreak) else "x"


def _end_sentence(out: list[m.Inline]) -> None:
    """Close a note's last citation sentence with a period (inside closing quotes)."""
    if not out:
        return
    last = out[-1]
    text = m.plain_text([last])
    if isinstance(last, m.Str):
        stripped = last.text.rstrip()
        if stripped.endswith("\u201d") and not stripped[:-1].endswith((".", "?", "!")):
            if stripped[:-1].endswith(","):
                stripped = stripped[:-2]
            else:
                stripped = stripped[:-1]
            last.text = stripped + ".\u201d"
        elif stripped.endswith("."):
            last.text = stripped
        elif stripped.endswith(("?", "!")):
            last.text = stripped
        elif stripped == "":
            out.pop()
            _end_sentence(out)
        else:
            last.text = stripped + "."
    elif not text.endswith((".", "?", "!")):
        out.append(m.Str("."))


def _group(cite: m.Cite, note: m.Note, state: _State, starts: bool,
           cited: list[tuple[str, str]]) -> list[m.Inline]:
    """One citation sentence: items joined by semicolons."""
    out: list[m.Inline] = []
    for index, item in enumerate(cite.items):
        if index:
            out.append(m.Str("; "))
        capital = starts and index == 0
        source = state.lookup(item.id, cite.line)
        out.extend(style.signal_inlines(item.prefix, capital))
        chain_ok = index == 0 and len(cite.items) == 1
        out.extend(_form(item, source, note, state, chain_ok, capital and not item.prefix))
        if item.suffix:
            out.append(m.Str(" "))
            out.extend(parse_inline(item.suffix))
        cited.append((item.id, item.locator))
        note.cites.append(item)
        state.chain = (item.id, item.locator) if len(cite.items) == 1 else None
    return out


def _form(item: m.CiteItem, source: dict[str, Any], note: m.Note, state: _State,
          chain_ok: bool, capital: bool) -> list[m.Inline]:
    settings = state.settings
    kind = str(source.get("type") or "")
    chain = state.chain

    def chose(form: str, reason: str) -> None:
        note.forms.append(m.CiteForm(item.id, form, reason))

    try:
        if settings.ibid and chain_ok and chain and chain[0] == item.id:
            if item.locator == chain[1] or item.locator:
                chose("Id.", "the note before cites only this source")
                return style.ibid_form(item.locator if item.locator != chain[1] else "", capital)
        first = state.first_note.get(item.id)
        if first is None or settings.subsequent == "full":
            chose("full", "first citation of this source" if first is None
                  else "the brief asks for full citations every time (subsequent: full)")
            return style.full_form(source, item.locator)
        if kind in style.CASE_TYPES:
            if note.number - state.last_note.get(item.id, first) > 5:
                chose("full", "a case last cited more than five notes back")
                return style.full_form(source, item.locator)
            chose("short", "a case cited within the last five notes")
            return style.short_form(source, item.locator)
        if kind in style.STATUTE_TYPES or settings.subsequent == "short" or first == note.number:
            chose("short", "statutes, orders and regulations never take supra"
                  if kind in style.STATUTE_TYPES else "cited earlier in this same note"
                  if first == note.number else "the brief asks for short forms (subsequent: short)")
            return style.short_form(source, item.locator)
        ref = m.NoteRef(first, m.format_number(first, settings.numbering))
        chose("supra", f"cited in full in note {ref.label}")
        return style.supra_form(source, ref, item.locator)
    finally:
        state.first_note.setdefault(item.id, note.number)
        state.last_note[item.id] = note.number
