"""Reading a snippet library: argument blocks (``*.md``) and item lists (``*.yaml``).

Loading is forgiving and use is strict: a file that cannot be read, a duplicate
id or an item with a bad field is remembered, and becomes an error only when a
letter uses that item (``check --library`` reports them all).
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .errors import LettersmithError, suggest
from .fieldtypes import field_problems
from .safefiles import read_text
from .yamlfile import LineDict, load_yaml

KINDS = ("argument", "source", "quote", "fact", "recipient", "signatories", "organization")
LIST_KEYS = {"sources": "source", "quotes": "quote", "facts": "fact",
             "recipients": "recipient", "signatories": "signatories",
             "organizations": "organization"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# Fields each kind accepts (sources are CSL items: any CSL field goes).
FIELDS: dict[str, set[str] | None] = {
    "argument": {"id", "title", "tags", "origin", "vars", "description"},
    "source": None,
    "quote": {"id", "text", "speaker", "speaker-kind", "source", "date", "locator", "context",
              "title", "organization", "attribution"},
    "fact": {"id", "text", "as-of", "source", "locator", "context"},
    "recipient": {"id", "name", "title", "organization", "address", "salutation",
                  "email", "short-name"},
    "signatories": {"id", "title", "columns", "sort", "signers", "per-row"},
    "organization": {"id", "name", "short-name", "about", "contact", "url"},
}
REQUIRED = {"argument": (), "source": ("type", "title"), "quote": ("text",),
            "fact": ("text",), "recipient": ("name",), "signatories": ("signers",),
            "organization": ("name",)}


@dataclass
class Item:
    """One library item: its kind, id, fields, and where it was written."""

    kind: str
    id: str
    data: dict[str, Any]
    file: Path
    line: int
    body: str = ""  # arguments: the Markdown body
    body_line: int = 0  # arguments: the file line the body starts on
    problems: list[LettersmithError] = field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        tags = self.data.get("tags") or []
        return [str(t) for t in tags] if isinstance(tags, list) else [str(tags)]

    @property
    def title(self) -> str:
        return str(self.data.get("title") or self.data.get("text") or self.data.get("name") or "")


class Library:
    """Every item under ``root/snippets`` by id, plus the templates folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: dict[str, Item] = {}
        self.duplicates: dict[str, list[Item]] = {}
        self.broken: list[LettersmithError] = []
        snippets = root / "snippets"
        if snippets.is_dir():
            for path in sorted(snippets.rglob("*")):
                if path.is_dir():
                    continue
                if path.suffix == ".md":
                    self._read_argument(path)
                elif path.suffix in (".yaml", ".yml"):
                    self._read_lists(path)

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def display(self, path: Path) -> str:
        """A path as users should see it: relative to the current folder when it can be."""
        return _display(path, os.getcwd())

    # ------------------------------------------------------------------ reading

    def _read(self, path: Path) -> str | None:
        """A library file's text, or None (the reason remembered in ``broken``)."""
        try:
            return read_text(path, self.root, path, "library file")
        except LettersmithError as err:
            err.file = self.display(path)
            self.broken.append(err)
            return None

    def _read_argument(self, path: Path) -> None:
        text = self._read(path)
        if text is None:
            return
        meta: Any = LineDict()
        meta.line, meta.lines = 1, {}
        body, body_line = text, 1
        if text.startswith("---"):
            match = re.match(r"---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|$)", text, re.S | re.M)
            if not match:
                self.broken.append(LettersmithError(
                    "the front matter is not closed", file=self.display(path), line=1,
                    hint="end the YAML front matter with a line '---'"))
                return
            try:
                meta = load_yaml(match.group(1), path, first_line=2) or LineDict()
            except LettersmithError as err:
                err.file = self.display(path)  # worked out only for a problem
                self.broken.append(err)
                return
            body = text[match.end():]
            body_line = text[:match.end()].count("\n") + 1
        if not isinstance(meta, dict):
            self.broken.append(LettersmithError(
                "the front matter must be a mapping of keys to values",
                file=self.display(path), line=2))
            return
        item_id = str(meta.get("id") or path.stem)
        self._add(Item("argument", item_id, meta, path, getattr(meta, "line", 1),
                       body=body, body_line=body_line))

    def _read_lists(self, path: Path) -> None:
        text = self._read(path)
        if text is None:
            return
        try:
            data = load_yaml(text, path)
        except LettersmithError as err:
            err.file = self.display(path)  # worked out only for a problem
            self.broken.append(err)
            return
        if data is None:
            return
        if not isinstance(data, dict):
            self.broken.append(LettersmithError(
                "a library file must be a mapping with lists under sources, quotes, facts, "
                "recipients or signatories", file=self.display(path), line=1))
            return
        for key, value in data.items():
            line = data.line_of(key)
            if key not in LIST_KEYS:
                self.broken.append(LettersmithError(
                    f"unknown top-level key {key!r}", file=self.display(path), line=line,
                    hint=suggest(str(key), LIST_KEYS) or "expected one of: " + ", ".join(LIST_KEYS)))
                continue
            if not isinstance(value, list):
                self.broken.append(LettersmithError(
                    f"{key} must be a list of items", file=self.display(path), line=line))
                continue
            for index, entry in enumerate(value):
                entry_line = value.line_of(index) if hasattr(value, "line_of") else line
                if not isinstance(entry, dict) or "id" not in entry:
                    self.broken.append(LettersmithError(
                        f"every item under {key} needs an id", file=self.display(path),
                        line=entry_line))
                    continue
                self._add(Item(LIST_KEYS[key], str(entry["id"]), entry, path, entry_line))

    def _add(self, item: Item) -> None:
        # The file as users see it is worked out only for a problem: at load time it
        # was a path resolution per item, a tenth of loading the library.
        if not ID_RE.match(item.id):
            fixed = re.sub(r"[^a-z0-9]+", "-", item.id.lower()).strip("-")
            item.problems.append(LettersmithError(
                f"id {item.id!r} may hold only lowercase letters, digits and '-'",
                file=self.display(item.file), line=item.line,
                hint=f"rename it to {fixed!r}" + (" (the file's name gives an argument its id)"
                                                  if "id" not in item.data else "")
                + ", and use that id in the briefs"))
        allowed = FIELDS[item.kind]
        for key in item.data:
            if allowed is not None and key not in allowed:
                item.problems.append(LettersmithError(
                    f"unknown field {key!r} in {item.kind} {item.id!r}", file=self.display(item.file),
                    line=item.data.line_of(key) if isinstance(item.data, LineDict) else item.line,
                    hint=suggest(str(key), allowed) or "allowed: " + ", ".join(sorted(allowed))))
        for problem in field_problems(item.kind, item.id, item.data, item.line):
            problem.file = self.display(item.file)
            item.problems.append(problem)
        for key in REQUIRED[item.kind]:
            if not item.data.get(key):
                item.problems.append(LettersmithError(
                    f"{item.kind} {item.id!r} has no {key}", file=self.display(item.file), line=item.line,
                    hint=f"add '{key}:' to it"))
        if item.id in self.items:
            self.duplicates.setdefault(item.id, [self.items[item.id]]).append(item)
            return
        self.items[item.id] = item

    # ------------------------------------------------------------------ using

    def ids(self, kind: str | None = None) -> list[str]:
        return [i for i, item in self.items.items() if kind is None or item.kind == kind]

    def of_kind(self, kind: str) -> Iterator[Item]:
        return (item for item in self.items.values() if item.kind == kind)

    def get(self, kind: str, item_id: str, *, file: str | Path | None = None,
            line: int | None = None) -> Item:
        """The item of ``kind`` called ``item_id``; a clear error when it can't be used."""
        item = self.items.get(item_id)
        if item is None:
            if not (self.root / "snippets").is_dir():
                raise LettersmithError(
                    f"{_folder(self.display(self.root))} is not a library (it has no snippets/ "
                    "folder), "
                    f"so there is no {kind} {item_id!r}", file=file, line=line,
                    hint="set library: in the brief to the library folder (relative to the "
                         "brief), or pass --library DIR")
            for err in self.broken:  # the file that would have held it could not be read
                if err.file and Path(err.file).stem == item_id:
                    raise err
            hint = suggest(item_id, [i for i in self.ids(kind) if ID_RE.match(i)])
            if self.broken:
                unread = "; ".join(f"{e.file}:{e.line or 1}: {e.message}" for e in self.broken[:3])
                more = f" and {len(self.broken) - 3} more" if len(self.broken) > 3 else ""
                hint = (hint + " " if hint else "") + \
                    f"(library files that could not be read: {unread}{more}; " \
                    "'lettersmith check --library' lists them with their fixes)"
            raise LettersmithError(f"no {kind} with id {item_id!r} in the library "
                                   f"{self.display(self.root / 'snippets')}",
                                   file=file, line=line,
                                   hint=hint or f"run 'lettersmith snippets list --kind {kind}' "
                                                "to see the ids there are")
        if item.kind != kind:
            raise LettersmithError(f"{item_id!r} is a {item.kind}, not a {kind}", file=file,
                                   line=line, hint=suggest(item_id, self.ids(kind)))
        if item_id in self.duplicates:
            places = " and ".join(f"{self.display(i.file)}:{i.line}" for i in self.duplicates[item_id])
            raise LettersmithError(f"the id {item_id!r} is used twice in the library: {places}",
                                   file=file, line=line, hint="rename one of them")
        if item.problems:
            raise item.problems[0]
        return item

    def problems(self) -> list[LettersmithError]:
        """Everything wrong in the library, used or not (for ``check --library``)."""
        out = list(self.broken)
        for item_id, items in self.duplicates.items():
            places = " and ".join(f"{self.display(i.file)}:{i.line}" for i in items)
            out.append(LettersmithError(f"the id {item_id!r} is used twice: {places}",
                                        file=self.display(items[-1].file), line=items[-1].line,
                                        hint="rename one of them"))
        for item in self.items.values():
            out.extend(item.problems)
        return out


@functools.lru_cache(maxsize=1024)
def _display(path: Path, cwd: str) -> str:
    try:
        return str(path.resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return str(path)


def _folder(shown: str) -> str:
    return "the current folder" if shown == "." else shown


_CACHE: dict[Path, Library] = {}
_AHEAD: dict[Path, tuple[tuple[tuple[str, int, int], ...], int]] = {}  # stamps, checked by pid


def load_library(root: Path) -> Library:
    """The library at ``root``, read once per process (briefs often share one).  One
    that the process this one was forked from loaded ahead (:func:`load_ahead`, the
    server) is checked against its files first, and read again if any changed."""
    key = root.resolve()
    ahead = _AHEAD.get(key)
    if ahead is not None and ahead[1] != os.getpid():
        if ahead[0] == files_stamp(key):
            _AHEAD[key] = (ahead[0], os.getpid())
        else:
            _CACHE.pop(key, None)
            del _AHEAD[key]
    if key not in _CACHE:
        _CACHE[key] = Library(root)
    return _CACHE[key]


def load_ahead(root: Path, stamp: tuple[tuple[str, int, int], ...] | None = None) -> Library:
    """Load (or keep) the library in a process that forks others (the server), for
    them to check and use (:func:`load_library`); ``stamp``: its :func:`files_stamp`
    when the caller has just taken it."""
    key = root.resolve()
    if stamp is None:  # taken before reading: a file changed meanwhile reads as changed
        stamp = files_stamp(key)
    if _AHEAD.get(key, ((), 0))[0] != stamp:
        _CACHE.pop(key, None)
    library = _CACHE[key] = _CACHE.get(key) or Library(key)
    _AHEAD[key] = (stamp, os.getpid())
    return library


def files_stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Path, modification time and size of every file under ``root/snippets`` and
    ``root/templates`` (a template added there hides a shipped one, which Jinja's
    cache of the shipped one would not notice)."""
    found = []
    for top in (root / "snippets", root / "templates"):
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                found.append((path, info.st_mtime_ns, info.st_size))
    return tuple(found)


def forget_libraries() -> None:
    """Drop the cache, so the next ``load_library`` reads the files again (``preview``)."""
    _CACHE.clear()
    _AHEAD.clear()
