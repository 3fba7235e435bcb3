"""The citation pass: run once over the model, before any writer.

It turns every ``Cite`` outside a note into a note of its own, numbers all
notes in reading order, and writes each citation in full, short, *supra* or
*Id.* form by the rules in DESIGN.md ("Citation style").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from . import model as m
from . import punct, style
from .errors import LettersmithError
from .parse import cite_ids, nested_cites, parse_inline

SourceLookup = Callable[[str, int | None], dict[str, Any]]
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
    titled: set[str] = field(default_factory=set)  # sources sharing their author with another


def apply_citations(doc: m.Document, lookup: SourceLookup, settings: CiteSettings) -> None:
    """Number the notes of ``doc`` and write out every citation, in place."""
    state = _State(settings, lookup)
    state.titled = _same_author(doc, lookup)
    _blocks(doc.blocks, state)
    doc.notes = state.notes
    for node in m.walk(doc.blocks):
        if isinstance(node, m.Str):
            node.text = punct.tidy(node.text)


def _same_author(doc: m.Document, lookup: SourceLookup) -> set[str]:
    """Cited sources whose short form would name an author another cited work shares
    (R4.2(a): those take "Author, *Short Title*, *supra* note N")."""
    by_author: dict[str, set[str]] = {}
    for node in m.walk(doc.blocks):
        if isinstance(node, m.Cite):
            for source_id in cite_ids(node.items):
                source = lookup(source_id, node.line)
                if not source.get("hereinafter") and style.short_author(source):
                    by_author.setdefault(style.short_author(source), set()).add(source_id)
    return {i for ids in by_author.values() if len(ids) > 1 for i in ids}


def _blocks(blocks: list[m.Block], state: _State) -> None:
    for block in blocks:
        if isinstance(block, m.Heading):
            _refuse_heading_notes(block)
        if isinstance(block, (m.Para, m.Heading)):
            block.inlines[:] = _body_inlines(block.inlines, state)
        elif isinstance(block, m.ListBlock):
            for item in block.items:
                _blocks(item, state)
        elif isinstance(block, m.BlockQuote):
            _unquote(block)
            _blocks(block.blocks, state)
        elif isinstance(block, m.Div):
            _blocks(block.blocks, state)


def _refuse_heading_notes(heading: m.Heading) -> None:
    for node in m.walk(heading.inlines):
        if isinstance(node, (m.Cite, m.Note)):
            raise LettersmithError(
                f"the heading {m.plain_text(heading.inlines)!r} carries a citation or note",
                hint="move the citation into the paragraph below the heading")


def _unquote(block: m.BlockQuote) -> None:
    """A block quotation is set off, not quoted (R5.1): drop the quotation marks that
    enclose all of it (the ones ``quote()`` adds), keep any inside."""
    paras = [b for b in block.blocks if isinstance(b, m.Para)]
    if not paras or not paras[0].inlines or not isinstance(paras[0].inlines[0], m.Str):
        return
    text = m.plain_text(paras)
    opening = text[:1]
    closing = {"\u201c": "\u201d", '"': '"'}.get(opening)
    strs = [n for p in paras for n in m.walk(p.inlines, into_notes=False) if isinstance(n, m.Str)]
    ends = [n for n in strs if n.text.rstrip(_MOVABLE + " ").endswith(closing or "\0")]
    if not closing or not ends or text.count(closing) != (2 if opening == '"' else 1):
        return
    first, last = paras[0].inlines[0], ends[-1]
    if any(n.text.strip(_MOVABLE + " ") for n in strs[strs.index(last) + 1:]):
        return  # words after the closing mark: the marks do not enclose the whole block
    first.text = first.text[1:]
    body = last.text.rstrip(_MOVABLE + " ")
    last.text = body[:-1] + last.text[len(body):]


def _body_inlines(inlines: list[m.Inline], state: _State) -> list[m.Inline]:
    """Inlines of the letter's text: citations become notes, notes get numbers."""
    out: list[m.Inline] = []
    pending = list(inlines)
    while pending:
        node = pending.pop(0)
        if isinstance(node, m.Cite):
            # Pandoc's rule: a note goes after the punctuation that follows it.
            if out and isinstance(out[-1], m.Str):
                out[-1].text = _quote_first(out[-1].text.rstrip())
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


def _quote_first(text: str) -> str:
    """``“routine”.`` before a note becomes ``“routine.”`` (straight marks alike)."""
    if text[-2:-1] in punct.CLOSING and text[-1:] in ".,":
        return punct.add(text[:-1], text[-1])
    return text


def _put_punctuation(out: list[m.Inline], mark: str) -> None:
    """Add punctuation before a note, inside a closing quotation mark, never doubled."""
    last = out[-1] if out else None
    if isinstance(last, m.Str):
        last.text = punct.add(last.text, mark)
    elif last is not None and not isinstance(last, m.Note):
        shown = m.plain_text([last])
        added = punct.add(shown, mark)
        rest = added[len(shown):] if added.startswith(shown) else mark
        if rest:
            out.append(m.Str(rest))
    else:
        out.append(m.Str(mark))


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
                  cited: list[tuple[str, str]], nested: bool = False) -> list[m.Inline]:
    """A note's inlines with each citation written out (``nested``: inside a parenthetical,
    where a citation never starts a sentence)."""
    out: list[m.Inline] = []
    for index, node in enumerate(inlines):
        if isinstance(node, m.Cite):
            starts = not nested and punct.ends_sentence(m.plain_text(out) if out else "")
            if out and _last_char(out) not in " (\n":
                out.append(m.Str(" "))
            out.extend(_group(node, note, state, starts, cited))
            after = inlines[index + 1] if index + 1 < len(inlines) else None
            ends_here = after is None or (isinstance(after, m.Str) and after.text.strip() == "")
            if isinstance(after, m.Str) and after.text[:1] in _MOVABLE:
                moved = len(after.text) - len(after.text.lstrip(_MOVABLE))
                _put_punctuation(out, after.text[:moved])  # "Id." + ". More" -> "Id. More"
                after.text = after.text[moved:]
            elif starts and not ends_here and not (
                    isinstance(after, m.Str) and after.text[:1] == ")"):
                _put_punctuation(out, ".")
        elif isinstance(node, (m.Emph, m.Strong, m.Link)):
            node.children[:] = _note_inlines(node.children, note, state, cited, nested)
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
    """Close a note's last sentence with a period (inside closing quotes, never doubled)."""
    while out and isinstance(out[-1], m.Str) and not out[-1].text.strip():
        out.pop()
    if not out:
        return
    last = out[-1]
    if isinstance(last, m.Str):
        text = last.text.rstrip()
        if text.endswith(",\u201d") or text.endswith(',"'):
            text = text[:-2] + text[-1]  # a title's comma where the sentence ends
        last.text = punct.add(text, ".")
    else:
        _put_punctuation(out, ".")


def _group(cite: m.Cite, note: m.Note, state: _State, starts: bool,
           cited: list[tuple[str, str]]) -> list[m.Inline]:
    """One citation sentence: items joined by semicolons (or commas: compare ..., with)."""
    out: list[m.Inline] = []
    for index, item in enumerate(cite.items):
        if index:
            out.append(m.Str(item.joiner))
        capital = starts and index == 0
        source = state.lookup(item.id, cite.line)
        out.extend(style.signal_inlines(item.prefix, capital))
        out.extend(_form(item, source, note, state, index == 0, capital and not item.prefix))
        cited.append((item.id, item.locator))
        note.cites.append(item)
        state.chain = (item.id, item.locator)
        if item.suffix:
            out.append(m.Str("" if item.suffix[:1] in ",;." else " "))
            out.extend(_parenthetical(item.suffix, cite.line, note, state, cited))
        if len(cite.items) > 1 or cited[-1][0] != item.id:
            state.chain = None
    return out


def _parenthetical(text: str, line: int | None, note: m.Note, state: _State,
                   cited: list[tuple[str, str]]) -> list[m.Inline]:
    """A parenthetical, with the sources it names (``quoting @b``) cited in it."""
    inlines = parse_inline(nested_cites(text))
    for node in m.walk(inlines):
        if isinstance(node, m.Cite) and node.line is None:
            node.line = line
    return _note_inlines(inlines, note, state, cited, nested=True)


def _form(item: m.CiteItem, source: dict[str, Any], note: m.Note, state: _State,
          chain_ok: bool, capital: bool) -> list[m.Inline]:
    """The form this citation of ``item`` takes: *Id.*, full, short or *supra*."""
    settings = state.settings
    kind = str(source.get("type") or "")
    chain = state.chain

    def chose(form: str, reason: str) -> None:
        note.forms.append(m.CiteForm(item.id, form, reason))

    try:
        if settings.ibid and chain_ok and chain and chain[0] == item.id:
            if item.locator == chain[1] or item.locator:
                chose("Id.", "the citation just before, in this note, is this source"
                      if state.last_note.get(item.id) == note.number
                      else "the note before cites only this source")
                pin = style.pin(source, item.locator) if item.locator != chain[1] else ""
                return style.ibid_form(pin, capital, source)
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
        return style.supra_form(source, ref, item.locator, item.id in state.titled)
    finally:
        state.first_note.setdefault(item.id, note.number)
        state.last_note[item.id] = note.number
