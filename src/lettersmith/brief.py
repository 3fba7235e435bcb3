"""Reading a brief (``brief.yaml``) strictly: unknown keys, wrong types and bad
values are errors that name the file and line."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import LettersmithError, suggest
from .library import ID_RE
from .safefiles import MAX_TEXT, decode_utf8, read_bytes
from .yamlfile import LineDict, LineList, YamlFields, load_yaml

# key: (accepted Python types, what to tell the user)
TOP_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "template": ((str,), "a template name such as letter or congressional-letter"),
    "date": ((dt.date, str), "a date written YYYY-MM-DD"),
    "to": ((str, dict), "a recipient id, or a mapping with name, title, address, salutation"),
    "via": ((str,), "how it is sent, e.g. email"),
    "subject": ((str,), "the Re: line"),
    "vars": ((dict,), "a mapping of variable names to values"),
    "body": ((list,), "a list of blocks (text, argument, heading, asks, quote)"),
    "closing": ((str,), "the closing paragraph"),
    "signoff": ((str,), "the sign-off, e.g. Sincerely,"),
    "signatories": ((str, list, dict), "a signatories list id, or a list of names"),
    "contact": ((str,), "the contact line"),
    "cc": ((str, list), "a list of people copied"),
    "notes": ((dict,), "a mapping with placement and numbering"),
    "citations": ((dict,), "a mapping with style, subsequent and ibid"),
    "library": ((str,), "the library folder, relative to the brief"),
    "letterhead": ((str,), "a .docx letterhead, relative to the brief"),
    "author": ((str,), "the author recorded in the document properties"),
    "stale-after": ((str,), "how old a fact may be before check warns, e.g. 365d or 3y"),
    "salutation": ((str,), "the salutation, when the recipient's is not wanted"),
    "press": ((dict,), "the press release built with the letter (headline, dateline, signers, "
                       "letter-quotes, body, about ...)"),
    "addresses": ((dict,), "source id -> the name of one of its also-at addresses to cite"),
}
BLOCK_KEYS = {"text": (str,), "argument": (str,), "heading": (str,), "asks": (list,),
              "quote": (str,), "vars": (dict,), "level": (int,), "intro": (str,),
              "from": (str,)}
BLOCK_KINDS = ("text", "argument", "heading", "asks", "quote")
CHOICES = {
    ("notes", "placement"): ("footnotes", "endnotes"),
    ("notes", "numbering"): ("arabic", "lower-roman", "upper-roman"),
    ("citations", "style"): ("letters",),
    ("citations", "subsequent"): ("supra", "short", "full"),
    ("citations", "ibid"): (True, False),
}
# press: the release's keys (read by lettersmith.press.section).
PRESS_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "template": ((str,), "the release template (default press-release)"),
    "date": ((dt.date, str), "the release date, YYYY-MM-DD (default: the letter's)"),
    "release": ((str,), "the release line (default FOR IMMEDIATE RELEASE)"),
    "contacts": ((list,), "media contacts: lines, or organization ids"),
    "headline": ((str,), "the headline"),
    "subhead": ((str,), "a line under the headline"),
    "dateline": ((str,), "the city the release is dated from, e.g. WASHINGTON"),
    "to": ((str,), "how the release names the recipient (default: title and name)"),
    "ask": ((str,), "what the signers call for, after 'to' (default: the letter's asks)"),
    "signers": ((dict,), "describe, noun, name, first, round: how the release counts and names the signers"),
    "letter-quotes": ((list,), "sentences of the letter quoted in the release"),
    "body": ((list,), "the release's paragraphs: quote, said, text"),
    "about": ((list,), "organization ids whose About boilerplate ends the release"),
    "vars": ((dict,), "variables for the release's text"),
}
PRESS_SIGNER_KEYS = {"describe": (str,), "noun": (str,), "name": (int,), "first": (list,),
                     "round": (bool,)}
LETTER_QUOTE_KEYS = {"words": (str,), "sentence": (int,), "from": (str,), "intro": (str,)}
PRESS_ITEM_KEYS = {"quote": (str, list), "said": (str,), "then": (str,), "text": (str,),
                   "speaker": (str,), "title": (str,), "organization": (str,),
                   "attribution": (str,)}
PRESS_ITEM_KINDS = ("quote", "said", "text")
SIGNATORY_KEYS = {"use": (str,), "signers": (list,), "columns": (int,), "sort": (bool,),
                  "per-row": (int,), "title": (str,)}


@dataclass
class Block:
    """One body entry of a brief."""

    kind: str  # text | argument | heading | asks | quote
    value: Any
    vars: dict[str, Any]
    line: int
    level: int = 2
    intro: str = ""
    origin: str = ""  # a text block's from: the snippet id its text came from (review --apply)


@dataclass
class Brief(YamlFields):
    path: Path
    data: LineDict
    body: list[Block] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def date(self) -> dt.date:
        value = self.data.get("date")
        if isinstance(value, dt.date):
            return value
        if value is None:
            return dt.date.today()
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise LettersmithError(f"date {value!r} is not a date", file=self.path,
                                   line=self.line("date"), hint="write it as YYYY-MM-DD") from None

    @property
    def library_root(self) -> Path | None:
        value = self.data.get("library")
        if value and "\0" in str(value):
            raise LettersmithError("library: holds a NUL byte", file=self.path,
                                   line=self.line("library"), hint="retype the folder name")
        return (self.path.parent / value) if value else None

    @property
    def letterhead(self) -> Path | None:
        value = self.data.get("letterhead")
        if not value:
            return None
        if "\0" in str(value):
            raise LettersmithError("letterhead: holds a NUL byte", file=self.path,
                                   line=self.line("letterhead"), hint="retype the file name")
        path = self.path.parent / value
        if not path.is_file() and not Path(value).suffix and "/" not in value:
            return Path(value)  # the name of a letterhead shipped with lettersmith
        if not path.is_file():
            raise LettersmithError(f"letterhead {value!r} does not exist", file=self.path,
                                   line=self.line("letterhead"),
                                   hint=f"looked for {path}; give a path relative to the brief")
        return path

    def setting(self, group: str, key: str, default: Any) -> Any:
        return (self.data.get(group) or {}).get(key, default)


def _type_error(file: Path, line: int, where: str, expected: str, got: Any) -> LettersmithError:
    return LettersmithError(f"{where} should be {expected}, not {type(got).__name__} {got!r}"[:300],
                            file=file, line=line)


def read_brief(path: Path, problems: list[LettersmithError] | None = None) -> Brief:
    """Read and validate the brief at ``path``.  The first mistake is raised, or, given
    a ``problems`` list, every independent one is added to it and the rest is returned."""
    _not_a_letter(path)
    try:
        text = decode_utf8(read_bytes(path, path, "brief", MAX_TEXT), path, "brief")
    except FileNotFoundError:
        raise LettersmithError("no such brief", file=path,
                               hint="give the path of a .yaml brief") from None
    except UnicodeDecodeError as err:
        raise LettersmithError(f"the brief is not UTF-8 text ({err.reason})", file=path) from None
    data = load_yaml(text, path)
    if data is None:
        raise LettersmithError("the brief is empty", file=path, line=1,
                               hint="a brief needs at least 'to:' and 'body:'")
    if not isinstance(data, LineDict):
        raise LettersmithError("a brief must be a mapping of keys to values", file=path, line=1,
                               hint="start lines with 'template:', 'to:', 'body:' ...")
    found: list[LettersmithError] = []  # every independent mistake, for check to list
    for key, value in list(data.items()):
        line = data.line_of(key)
        if key not in TOP_KEYS:
            found.append(LettersmithError(f"unknown key {key!r} in the brief", file=path, line=line,
                                          hint=suggest(str(key), TOP_KEYS)
                                          or "allowed keys: " + ", ".join(TOP_KEYS)))
            del data[key]
            continue
        types, expected = TOP_KEYS[key]
        if value is None or not isinstance(value, types) or isinstance(value, bool):
            found.append(_type_error(path, line, key, expected, value))
            del data[key]
    for group in ("notes", "citations"):
        settings = data.get(group) or {}
        for key, value in list(settings.items()):
            line = settings.line_of(key)
            choices = CHOICES.get((group, key))
            if choices is None:
                allowed = [k for g, k in CHOICES if g == group]
                found.append(LettersmithError(
                    f"unknown key {key!r} under {group}", file=path, line=line,
                    hint=suggest(str(key), allowed) or "allowed: " + ", ".join(allowed)))
                del settings[key]
            elif value not in choices or (isinstance(value, bool) != isinstance(choices[0], bool)):
                found.append(LettersmithError(
                    f"{group}.{key} cannot be {value!r}", file=path, line=line,
                    hint="choose one of: " + ", ".join(str(c).lower() for c in choices)))
                del settings[key]
    brief = Brief(path, data)
    for step in (lambda: _check_signatories(path, data),
                 lambda: setattr(brief, "body", _read_body(path, data, found)),
                 lambda: brief.date):
        try:
            step()
        except LettersmithError as err:
            found.append(err)
    if found and problems is None:
        raise found[0]
    if problems is not None:
        problems.extend(found)
    return brief


_LETTER_FILES = {b"PK\x03\x04": "a Word (or other zipped) file", b"%PDF": "a PDF file",
                 b"\xd0\xcf\x11\xe0": "an old Word .doc file"}


def _not_a_letter(path: Path) -> None:
    """A letter (.docx, .pdf) given where a brief belongs: say what it is and what reads it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return  # read_text reports it
    kind = next((what for magic, what in _LETTER_FILES.items() if head.startswith(magic)), "")
    if kind:
        raise LettersmithError(
            f"this is {kind}, not a brief", file=path,
            hint="a brief is a .yaml file ('lettersmith new BRIEF.yaml' starts one); to read a "
                 "reviewer's edits back use 'lettersmith review', to draft library items from a "
                 "past letter 'lettersmith ingest FILE --into DIR'")


def _check_signatories(path: Path, data: LineDict) -> None:
    value = data.get("signatories")
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in SIGNATORY_KEYS:
                raise LettersmithError(f"unknown key {key!r} under signatories", file=path,
                                       line=value.line_of(key),
                                       hint=suggest(str(key), SIGNATORY_KEYS)
                                       or "allowed: " + ", ".join(SIGNATORY_KEYS))
            if not isinstance(item, SIGNATORY_KEYS[key]):
                raise _type_error(path, value.line_of(key), f"signatories.{key}",
                                  SIGNATORY_KEYS[key][0].__name__, item)
        if "use" not in value and "signers" not in value:
            raise LettersmithError("signatories needs 'use: LIST-ID' or 'signers: [...]'",
                                   file=path, line=data.line_of("signatories"))


def _read_body(path: Path, data: LineDict, found: list[LettersmithError]) -> list[Block]:
    body = data.get("body")
    if body is None:
        return []
    blocks = []
    for index, entry in enumerate(body):
        try:
            block = _read_block(path, data, body, index, entry)
        except LettersmithError as err:
            found.append(err)
            continue
        blocks.append(block)
    return blocks


def _read_block(path: Path, data: LineDict, body: Any, index: int, entry: Any) -> Block:
    """One body item, or the error naming what is wrong with it."""
    line = body.line_of(index) if isinstance(body, LineList) else data.line_of("body")
    if isinstance(entry, str):  # a bare string is a text block
        return Block("text", entry, {}, line)
    if not isinstance(entry, dict):
        raise LettersmithError(f"body item {index + 1} should be a mapping such as "
                               "'- argument: ID' or '- text: ...'", file=path, line=line)
    kinds = [k for k in entry if k in BLOCK_KINDS]
    for key in entry:
        if key not in BLOCK_KEYS:
            raise LettersmithError(f"unknown key {key!r} in body item {index + 1}", file=path,
                                   line=entry.line_of(key),
                                   hint=suggest(str(key), BLOCK_KEYS)
                                   or "a body item is one of: " + ", ".join(BLOCK_KINDS))
        value = entry[key]
        if not isinstance(value, BLOCK_KEYS[key]) or isinstance(value, bool):
            raise _type_error(path, entry.line_of(key), key,
                              "a list" if key == "asks" else "a mapping" if key == "vars"
                              else "a number" if key == "level" else "text", value)
    if len(kinds) != 1:
        raise LettersmithError(
            f"body item {index + 1} must have exactly one of: " + ", ".join(BLOCK_KINDS)
            + (f" (it has {', '.join(kinds)})" if kinds else ""), file=path, line=line)
    kind = kinds[0]
    if "from" in entry and (kind != "text" or not ID_RE.match(str(entry["from"]))):
        raise LettersmithError(f"'from:' goes only on a text block, with a snippet id (body "
                               f"item {index + 1} is {kind}, from: {entry['from']!r})",
                               file=path, line=entry.line_of("from"),
                               hint="from: names the snippet a text block's wording came from")
    return Block(kind, entry[kind], dict(entry.get("vars") or {}), entry.line_of(kind),
                 level=int(entry.get("level", 2)), intro=str(entry.get("intro", "")),
                 origin=str(entry.get("from", "")))
