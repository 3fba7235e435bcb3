"""From a read letter to draft library items: arguments, sources, quotes, a
recipient and a sign-on list, with ids that clash with nothing in the library."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..library import Library
from ..signers import name_key
from . import RawDoc, read_any
from .cites import Piece, norm_title, parse_note, same_source, slug_overlap
from .known import Known, key, known_paragraphs
from .letter import Parsed, parse_letter, speaker_kind

_STOPWORDS = {"a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "by", "with", "at",
              "as", "is", "are", "was", "be", "that", "this", "it", "its", "we", "our", "you",
              "your", "from", "has", "have", "their", "these", "those", "which", "who", "also"}


def slugify(text: str, words: int = 6) -> str:
    tokens = [t for t in re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", ""))
              if t not in _STOPWORDS]
    return "-".join(tokens[:words]) or "item"


@dataclass
class Made:
    """What one past letter gave: items to write, and what could not be placed."""

    path: Path
    raw: RawDoc
    parsed: Parsed
    arguments: list[dict[str, Any]] = field(default_factory=list)  # front matter + "body"
    sources: list[dict[str, Any]] = field(default_factory=list)  # new CSL items
    matched: list[str] = field(default_factory=list)  # library sources cited again
    note_sources: dict[int, list[str]] = field(default_factory=dict)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    recipients: list[dict[str, Any]] = field(default_factory=list)
    recipient_id: str = ""
    signatories: list[dict[str, Any]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    body: list[tuple[str, Any]] = field(default_factory=list)  # ("argument", id) | ("heading", text) | ("asks", {...})
    reused: list[Known] = field(default_factory=list)  # library arguments found in the letter
    matched_quotes: list[str] = field(default_factory=list)  # library quotes found again


class Ingester:
    """Ingests letters one after another against one library, so that a source
    two letters cite is made once and a library source is never duplicated."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.pool: list[tuple[str, dict[str, Any]]] = [
            (item.id, item.data) for item in library.of_kind("source")]
        self.taken: set[str] = set(library.items)
        self.signer_names = {name_key(str(s.get("name") if isinstance(s, dict) else s)):
                             str(s.get("name") if isinstance(s, dict) else s)
                             for item in library.of_kind("signatories")
                             for s in item.data.get("signers") or []}
        self.tags = sorted({t for item in library.items.values() for t in item.tags})
        self.quote_keys = {key(str(item.data.get("text") or "")): item.id
                           for item in library.of_kind("quote")}
        self.recipients: list[tuple[str, str]] = [
            (item.id, _person(str(item.data.get("name")))) for item in library.of_kind("recipient")]

    def new_id(self, base: str) -> str:
        base = base[:60].strip("-") or "item"
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate

    # ---------------------------------------------------------------- sources

    def source_id(self, csl: dict[str, Any], made: Made) -> str:
        """The id of the library or session source ``csl`` is, or of a new one."""
        for item_id, data in self.pool:
            if same_source(csl, data):
                if item_id in self.library.items:
                    if item_id not in made.matched:
                        made.matched.append(item_id)
                else:
                    for key in ("URL", "issued", "container-title"):
                        if key in csl:
                            data.setdefault(key, csl[key])
                return item_id
        item_id = self.new_id(self._source_slug(csl))
        item = {"id": item_id, **csl}
        made.sources.append(item)
        self.pool.append((item_id, item))
        return item_id

    @staticmethod
    def _source_slug(csl: dict[str, Any]) -> str:
        names = csl.get("author") or []
        who = ""
        if csl.get("type") == "legal_case":
            pass
        elif names:
            first = names[0]
            who = first.get("family") or first.get("literal") or ""
            who = slugify(who, 2)
        elif csl.get("container-title"):
            who = slugify(str(csl["container-title"]), 2)
        year = ""
        parts = (csl.get("issued") or {}).get("date-parts") or [[]]
        if parts and parts[0]:
            year = str(parts[0][0])
        return "-".join(p for p in (who, slugify(str(csl.get("title") or ""), 4), year) if p)

    # ---------------------------------------------------------------- a letter

    def ingest(self, path: Path) -> Made:
        raw = read_any(path)
        parsed = parse_letter(raw.paragraphs)
        made = Made(path, raw, parsed, unplaced=list(raw.unplaced) + parsed.unplaced)
        pieces = {n: parse_note(note.text) for n, note in sorted(raw.notes.items())}
        self._place_orphan_urls(parsed, pieces, made)
        markup = self._notes(pieces, made)
        referenced = {int(n) for _, text in parsed.body for n in re.findall(r"\[\^(\d+)\]", text)}
        for number, note in sorted(raw.notes.items()):
            if number not in referenced:
                made.unplaced.append(f"note {note.label}: its reference was not found in the text "
                                     f"(its sources were kept): {note.text[:80]}")
        self._arguments(parsed, markup, made, known_paragraphs(path, self.library))
        self._quotes(parsed, made)
        self._people(parsed, made)
        return made

    def _place_orphan_urls(self, parsed: Parsed, pieces: dict[int, list[Piece]], made: Made) -> None:
        urls = parsed.orphan_urls + [u for u in made.unplaced
                                     if re.fullmatch(r"https?://\S+(?: \S+)?", u)]
        for url in urls:
            clean = re.sub(r" (?=\S+$)", "_", url).rstrip(".,;")
            best = max(((slug_overlap(clean, str(p.source.get("title", ""))), p)
                        for ps in pieces.values() for p in ps
                        if not p.prose and p.source and not p.source.get("URL")),
                       key=lambda pair: pair[0], default=(0.0, None))
            if best[1] is not None and best[0] >= 0.5:
                best[1].source["URL"] = clean
                if url in made.unplaced:
                    made.unplaced.remove(url)
            elif url not in made.unplaced:
                made.unplaced.append(url)

    def _notes(self, pieces: dict[int, list[Piece]], made: Made) -> dict[int, str]:
        """Each note as lettersmith Markdown: ``[@a; see also @b]`` or ``^[prose [@a]]``."""
        markup: dict[int, str] = {}
        previous: list[str] = []
        for number, note_pieces in pieces.items():
            ids: list[str] = []
            for piece in note_pieces:
                if piece.prose:
                    continue
                if piece.ibid:
                    piece.source_id = previous[-1] if previous else ""
                elif piece.supra:
                    piece.source_id = (made.note_sources.get(piece.supra) or [""])[0]
                elif piece.source.get("title") or piece.source.get("URL"):
                    piece.source.setdefault("title", piece.source.get("URL"))
                    piece.source_id = self.source_id(piece.source, made)
                if piece.source_id:
                    ids.append(piece.source_id)
                else:
                    piece.prose = True
            made.note_sources[number] = list(dict.fromkeys(ids))
            previous = ids or previous
            markup[number] = _note_markup(note_pieces)
        return markup

    def _arguments(self, parsed: Parsed, markup: dict[int, str], made: Made,
                   known: dict[tuple[str, ...], Known]) -> None:
        heading = ""
        origin = _origin(parsed, made.path)
        previous = ""
        for kind, text in parsed.body:
            last_kind, previous = previous, kind
            if kind == "heading":
                heading = re.sub(r"^\(\d+\)\s*", "", text)
                made.body.append(("heading", text))
                continue
            hit = known.get(key(text)) if kind == "text" else None
            if hit is not None:  # the library's own block (lettersmith wrote this letter)
                if made.body[-1:] != [("argument", hit.id)]:
                    made.body.append(("argument", hit.id))
                    made.reused.append(hit)
                heading = ""
                continue

            def note(match: re.Match[str]) -> str:
                number = int(match.group(1))
                if number not in markup:
                    made.unplaced.append(f"a note reference {number} has no note text")
                    return ""
                return markup[number]

            body = re.sub(r"\[\^(\d+)\]", note, text)
            if kind == "ask":
                self._ask(body, last_kind == "ask", made)
                continue
            if re.search(r"\{[{%#]", body):
                body = "{% raw %}" + body + "{% endraw %}"
            plain = re.sub(r"\[\^\d+\]", "", text)
            title = heading or _first_sentence(plain)
            heading = ""
            lowered = " " + re.sub(r"[^a-z0-9]+", " ", plain.lower()) + " "
            tags = [t for t in self.tags if f" {t.replace('-', ' ')} " in lowered
                    or f" {t.replace('-', ' ')}s " in lowered]
            made.arguments.append({"id": self.new_id(slugify(title)), "title": title,
                                   "tags": tags, "origin": origin, "body": body})
            made.body.append(("argument", made.arguments[-1]["id"]))

    @staticmethod
    def _ask(text: str, continues: bool, made: Made) -> None:
        """One item of a numbered list: the letter's asks (a paragraph ending in a
        colon just before the list becomes their intro, not an argument)."""
        if continues and made.body and made.body[-1][0] == "asks":
            made.body[-1][1]["asks"].append(text)
            return
        asks: dict[str, Any] = {"asks": [text]}
        last = made.body[-1] if made.body else None
        if last and last[0] == "argument" and made.arguments and \
                made.arguments[-1]["id"] == last[1] and made.arguments[-1]["body"].rstrip().endswith(":"):
            asks["intro"] = made.arguments.pop()["body"].strip()
            made.body.pop()
        made.body.append(("asks", asks))

    def _quotes(self, parsed: Parsed, made: Made) -> None:
        for quote in parsed.quotes:
            same = self.quote_keys.get(key(quote.text))
            if same:  # the library's quotation, quoted again
                made.matched_quotes.append(same)
                continue
            item: dict[str, Any] = {"id": self.new_id(slugify(quote.speaker, 3) + "-"
                                                      + slugify(quote.text, 3)),
                                    "text": quote.text, "speaker": quote.speaker,
                                    "speaker-kind": speaker_kind(quote.speaker)}
            source = (made.note_sources.get(quote.note) or [""])[0]
            if source:
                item["source"] = source
            date = quote.when or _source_date(source, self.pool)
            if not date and parsed.date and not parsed.salutation:  # a release quotes today
                date = parsed.date.isoformat()
            if date:
                item["date"] = date
            made.quotes.append(item)

    def _people(self, parsed: Parsed, made: Made) -> None:
        if parsed.recipient:
            name = _person(parsed.recipient["name"])
            known = [rid for rid, other in self.recipients if other == name]
            if known:
                made.recipient_id = known[0]
            else:
                rid = self.new_id(slugify(parsed.recipient["name"].split()[-1] + " "
                                          + parsed.recipient.get("title", "").split(" of ")[0], 3))
                made.recipient_id = rid
                self.recipients.append((rid, name))
                item = {"id": rid, **parsed.recipient}
                if parsed.salutation:
                    item["salutation"] = parsed.salutation
                made.recipients.append(item)
        signers: list[Any] = []
        for index, signer in enumerate(parsed.signers):
            if index in parsed.run_on:
                names, rest = self._split_run_on(signer["name"])
                signers.extend(names)
                if rest:
                    made.unplaced.append(f"these signers ran together and could not be split: {rest!r}")
                    signers.append(rest)
                continue
            signers.append(signer if len(signer) > 1 else signer["name"])
        if signers:
            base = f"signers-{parsed.date.isoformat()}" if parsed.date else slugify(made.path.stem) + "-signers"
            made.signatories.append({"id": self.new_id(base), "signers": signers})

    def _split_run_on(self, text: str) -> tuple[list[str], str]:
        """Known signer names at the start of ``text``, longest first; what is left."""
        names: list[str] = []
        words = text.split()
        unknown: list[str] = []
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                key = name_key(" ".join(words[i:j]))
                if key in self.signer_names:
                    if unknown:
                        names.append(" ".join(unknown))
                        unknown = []
                    names.append(self.signer_names[key])
                    i = j
                    break
            else:
                unknown.append(words[i])
                i += 1
        if names and unknown:
            names.append(" ".join(unknown))
            unknown = []
        return names, " ".join(unknown)


def _person(name: str) -> str:
    return norm_title(re.sub(r"^(The Honorable|Hon\.|Mr\.|Ms\.|Mrs\.|Dr\.)\s+", "", name))


def _note_markup(pieces: list[Piece]) -> str:
    def cite(piece: Piece, first: bool) -> str:
        signal = piece.signal if first or not piece.signal else piece.signal.lower()
        text = (signal + " " if signal else "") + "@" + piece.source_id
        if piece.locator:
            text += f", at {piece.locator}"
        if piece.suffix:
            text += " " + piece.suffix.replace("[", "(").replace("]", ")")
        return text

    if all(not p.prose for p in pieces):
        return "[" + "; ".join(cite(p, i == 0) for i, p in enumerate(pieces)) + "]"
    parts = [re.sub(r"([\[\]])", r"\\\1", p.text) if p.prose else "[" + cite(p, True) + "]"
             for p in pieces]
    return "^[" + " ".join(parts) + "]"


def _first_sentence(text: str) -> str:
    match = re.match(r"^(.{20,}?[.?!])[”\"’)]*(?:\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > 110:
        sentence = sentence[:110].rsplit(" ", 1)[0] + "\u2026"
    return sentence.rstrip(".")


def _origin(parsed: Parsed, path: Path) -> str:
    when = parsed.date.isoformat() + " " if parsed.date else ""
    kind = "letter" if parsed.salutation else "text"
    to = f" to {parsed.recipient['name']}" if parsed.recipient else ""
    return f"{when}{kind}{to} ({path.name})"


def _source_date(source_id: str, pool: list[tuple[str, dict[str, Any]]]) -> str:
    for item_id, data in pool:
        if item_id == source_id:
            parts = ((data.get("issued") or {}).get("date-parts") or [[]])[0]
            return "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts)) if parts else ""
    return ""
