"""The rules behind ``lettersmith check``: what would break a build (errors) and
what a reviewer would catch (warnings: stale facts, incomplete sources and quotes,
malformed URLs, duplicate signers, notes that cite nothing, uncited sources)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

from . import model as m
from .errors import LetterWarning, LettersmithError
from .library import Item, Library
from .signers import name_key

# Every CSL 1.0.2 item type.
CSL_TYPES = (
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
    "letter", "press-release")  # the last two: types the letters style also writes

# Fields a source of a type needs for a full citation; "a|b" means either will do.
SOURCE_NEEDS: dict[str, tuple[str, ...]] = {
    "report": ("author|publisher", "issued"),
    "article-newspaper": ("container-title", "issued"),
    "article-magazine": ("container-title", "issued"),
    "article-journal": ("author", "container-title", "issued"),
    "article": ("issued",),
    "webpage": ("URL",),
    "post": ("URL",),
    "post-weblog": ("URL", "issued"),
    "letter": ("author", "issued"),
    "speech": ("author", "issued"),
    "interview": ("author", "issued"),
    "book": ("author|editor", "issued"),
    "chapter": ("author", "container-title", "issued"),
    "pamphlet": ("author|publisher", "issued"),
    "broadcast": ("container-title", "issued"),
    "legal_case": ("container-title|authority", "issued"),
    "hearing": ("issued",),
}
FIELD_NAMES = {"author": "author", "publisher": "publisher", "editor": "editor",
               "issued": "date (issued)", "container-title": "container-title (the newspaper, "
               "journal or website)", "URL": "URL", "authority": "authority (the court)"}
_DURATION = re.compile(r"^\s*(\d+)\s*(d|days?|w|weeks?|m|months?|y|years?)\s*$", re.I)


@dataclass
class Report:
    """What a check found: errors (exit 1) and warnings."""

    errors: list[LettersmithError] = field(default_factory=list)
    warnings: list[LetterWarning] = field(default_factory=list)

    def error(self, err: LettersmithError) -> None:
        if str(err) not in {str(e) for e in self.errors}:
            self.errors.append(err)

    def warn(self, message: str, file: Any = None, line: int | None = None) -> None:
        warning = LetterWarning(message, file=file, line=line)
        if str(warning) not in {str(w) for w in self.warnings}:
            self.warnings.append(warning)


def parse_duration(text: str) -> dt.timedelta:
    """``365d``, ``52w``, ``18m``, ``1y`` as a timedelta."""
    match = _DURATION.match(text)
    if not match:
        raise LettersmithError(f"--stale-after {text!r} is not a duration",
                               hint="write a number and a unit: 365d, 26w, 18m or 1y")
    n, unit = int(match.group(1)), match.group(2)[0].lower()
    return dt.timedelta(days=n * {"d": 1, "w": 7, "m": 30, "y": 365}[unit])


def as_date(value: Any) -> dt.date | None:
    """A YAML date, an ISO string or a CSL date as a date (missing parts are 1), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dict) and value.get("date-parts"):
        try:
            parts = [int(p) for p in value["date-parts"][0]] + [1, 1]
            return dt.date(parts[0], parts[1] or 1, parts[2] or 1)
        except (TypeError, ValueError, IndexError):
            return None
    match = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$", str(value or "").strip())
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
        except ValueError:
            return None
    return None


def url_problem(url: Any) -> str:
    """Why ``url`` is not a usable web address, or ''."""
    text = str(url)
    if not text.strip():
        return "is empty"
    if re.search(r"\s", text):
        return "contains a space"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        return ("does not start with http:// or https://; it is printed as text, "
                "not made a link (only http, https and mailto links are made)")
    host = parts.hostname or ""
    if "." not in host or host.startswith(".") or host.endswith("."):
        return f"has no valid host name ({host or 'none'})"
    if text[-1] in ".,;:)\u201d\"'":
        return f"ends with {text[-1]!r} (punctuation copied with it?)"
    return ""


def _age(days: int) -> str:
    years, months = divmod(round(days / 30.44), 12)
    parts = ([f"{years} year{'s' * (years != 1)}"] if years else []) + \
            ([f"{months} month{'s' * (months != 1)}"] if months else [])
    return " ".join(parts) or f"{days} days"


# ------------------------------------------------------------------ items


def item_warnings(item: Item, library: Library, report: Report) -> None:
    """Warnings about one item on its own (not how a letter uses it)."""
    where = library.display(item.file)
    data = item.data
    if item.kind == "quote":
        missing = [k for k in ("speaker", "date", "source") if not data.get(k)]
        if missing:
            report.warn(f"quote {item.id!r} has no {', no '.join(missing)}", where, item.line)
    elif item.kind == "fact":
        if not data.get("source"):
            report.warn(f"fact {item.id!r} has no source", where, item.line)
        if not data.get("as-of"):
            report.warn(f"fact {item.id!r} has no as-of date, so no one can tell when it "
                        "goes stale", where, item.line)
        elif as_date(data.get("as-of")) is None:
            report.warn(f"fact {item.id!r}: as-of {data.get('as-of')!r} is not a date "
                        "(write YYYY-MM-DD)", where, _line(item, "as-of"))
    elif item.kind == "source":
        source_warnings(item, where, report)
    elif item.kind == "signatories":
        seen: dict[str, str] = {}
        for entry in data.get("signers") or []:
            name = str(entry.get("name", "") if isinstance(entry, dict) else entry)
            key = name_key(name)
            if key in seen:
                report.warn(f"signatories {item.id!r} lists {name!r} twice "
                            f"(also as {seen[key]!r})", where, item.line)
            seen.setdefault(key, name)


def _line(item: Item, key: str) -> int:
    line_of = getattr(item.data, "line_of", None)
    return line_of(key) if line_of else item.line


def source_warnings(item: Item, where: str, report: Report) -> None:
    data = item.data
    kind = str(data.get("type") or "")
    if kind and kind not in CSL_TYPES:
        from .errors import suggest
        close = suggest(kind, CSL_TYPES)
        report.warn(f"source {item.id!r} has type {kind!r}, which is not a CSL type"
                    + (f" ({close})" if close else ""), where, _line(item, "type"))
    missing = [need for need in SOURCE_NEEDS.get(kind, ())
               if not any(data.get(k) for k in need.split("|"))]
    if missing:
        names = [" or ".join(FIELD_NAMES.get(k, k) for k in need.split("|")) for need in missing]
        report.warn(f"source {item.id!r} ({kind}) has no {'; no '.join(names)}", where, item.line)
    if data.get("issued") and as_date(data["issued"]) is None and not (
            isinstance(data["issued"], dict) and data["issued"].get("literal")):
        report.warn(f"source {item.id!r}: issued {data['issued']!r} is not a date "
                    "(write {date-parts: [[YYYY, M, D]]})", where, _line(item, "issued"))
    also = data.get("also-at") if isinstance(data.get("also-at"), dict) else {}
    for name, fields in [("", data)] + list(also.items()):
        if isinstance(fields, dict) and fields.get("URL") is not None:
            problem = url_problem(fields["URL"])
            at = f" (also-at {name})" if name else ""
            if problem:
                report.warn(f"source {item.id!r}: URL{at} {str(fields['URL'])!r} {problem}",
                            where, _line(item, "also-at" if name else "URL"))


# ------------------------------------------------------------------ documents


def notes_in(blocks: list[Any], snippet: str = "") -> Iterator[tuple[m.Note, str]]:
    """Every note with the id of the argument block it sits in ('' for the brief's own text)."""
    for node in blocks:
        if isinstance(node, m.Note):
            yield node, snippet
            continue
        if isinstance(node, m.Div) and node.kind == "snippet":
            yield from notes_in(node.blocks, node.attrs.get("id", ""))
            continue
        if isinstance(node, m.ListBlock):
            for entry in node.items:
                yield from notes_in(entry, snippet)
            continue
        kids = m.child_inlines(node)
        if kids is None:
            kids = m.child_blocks(node)
        if kids:
            yield from notes_in(kids, snippet)


def document_warnings(doc: m.Document, library: Library, brief_file: Any,
                      report: Report) -> None:
    """Notes that cite nothing and malformed links, placed at their argument when known."""
    for note, snippet in notes_in(doc.blocks):
        if note.sources:
            continue
        item = library.items.get(snippet) if snippet else None
        text = m.plain_text(note.blocks)
        short = text if len(text) <= 70 else text[:67] + "..."
        where = f" in argument {snippet!r}" if snippet else ""
        report.warn(f"note {note.label or note.number}{where} cites no source: {short!r} "
                    "(cite one with [@id], or move the text into the body)",
                    library.display(item.file) if item else brief_file,
                    item.body_line if item else None)
    for node in m.walk(doc.blocks, into_notes=False):  # sources' URLs are checked as items
        if isinstance(node, m.Link):
            problem = url_problem(node.url)
            if problem:
                report.warn(f"the link {node.url!r} {problem}", brief_file)


def uses_of(item_id: str, helper: str, items: Iterable[Item], library: Library) -> list[str]:
    """Where an argument body calls ``helper("item_id")``: 'argument X (file:line)'."""
    pattern = re.compile(rf"""{helper}\(\s*["']{re.escape(item_id)}["']""")
    out = []
    for item in items:
        match = pattern.search(item.body)
        if match:
            line = item.body_line + item.body.count("\n", 0, match.start())
            out.append(f"argument {item.id!r} ({library.display(item.file)}:{line})")
    return out


def stale_fact_warnings(fact_ids: Iterable[str], date: dt.date, stale_after: dt.timedelta,
                        library: Library, arguments: list[Item], report: Report,
                        brief_text: str = "", brief_file: Any = None) -> None:
    """Facts whose as-of date is more than ``stale_after`` before ``date``."""
    for fact_id in dict.fromkeys(fact_ids):
        item = library.items.get(fact_id)
        if item is None:
            continue
        as_of = as_date(item.data.get("as-of"))
        if as_of is None or date - as_of <= stale_after:
            continue
        used = uses_of(fact_id, "fact", arguments, library)
        if brief_text and re.search(rf"""fact\(\s*["']{re.escape(fact_id)}["']""", brief_text):
            used.append(f"the brief {brief_file}")
        report.warn(f"fact {fact_id!r} is stale: as of {as_of.isoformat()}, "
                    f"{_age((date - as_of).days)} before {date.isoformat()}"
                    + (f"; used in {', '.join(used)}" if used else "")
                    + " (update its text and as-of)",
                    library.display(item.file), _line(item, "as-of"))


# ------------------------------------------------------------------ a letter


def check_brief(brief_path: Path, library_dir: Path | None,
                stale_after: dt.timedelta | None) -> Report:
    """Everything ``build`` would stop at, and every warning, for one brief."""
    from .brief import read_brief
    from .build import Letter, document_from, library_for, renderer_for

    report = Report()
    problems: list[LettersmithError] = []
    try:
        brief = read_brief(brief_path, problems)
    except LettersmithError as err:  # not YAML, not a mapping: nothing more to check
        report.error(err)
        return report
    for err in problems:
        report.error(err)
    library = library_for(brief, library_dir)
    if problems:
        _more_errors(brief, library, report)
        return report
    if stale_after is None:
        try:
            stale_after = parse_duration(str(brief.get("stale-after") or "365d"))
        except LettersmithError as err:
            err.file, err.line = str(brief_path), brief.line("stale-after")
            report.error(err)
            return report
    try:
        brief.letterhead  # noqa: B018 - raises when the file is missing
    except LettersmithError as err:
        report.error(err)
    renderer = renderer_for(library)
    try:
        draft = renderer.render(brief)
        letter = Letter(brief, library, draft, document_from(draft, brief, library))
    except LettersmithError as err:
        report.error(err)
        _more_errors(brief, library, report)
        return report
    for warning in letter.warnings:
        report.warnings.append(warning)
    used = {kind: list(dict.fromkeys(ids)) for kind, ids in draft.used.items()}
    for kind in ("source", "quote", "fact"):
        for item_id in used.get(kind, []):
            item_warnings(library.items[item_id], library, report)
    arguments = [library.items[i] for i in used.get("argument", [])]
    stale_fact_warnings(used.get("fact", []), brief.date, stale_after, library, arguments,
                        report, brief_path.read_text(encoding="utf-8"), brief_path)
    document_warnings(letter.doc, library, brief_path, report)
    choices = brief.get("addresses") or {}
    for source_id in choices:
        if source_id not in used.get("source", []):
            report.warn(f"addresses: names source {source_id!r}, which the letter does not cite",
                        brief_path, choices.line_of(source_id))
    if brief.get("press") is not None:  # the release built with the letter
        from .press.check import check_release
        check_release(letter, stale_after, report)
    return report


def _more_errors(brief: Any, library: Library, report: Report) -> None:
    """After the first error, render each body block alone to find the others."""
    from .render import Draft, Renderer
    renderer = Renderer(library)
    draft = Draft("", {}, None)
    from .signers import resolve_signatories
    try:
        day = brief.date
    except LettersmithError:
        day = dt.date.today()  # already reported
    base: dict[str, Any] = {"to": {}, "date": day, "brief": dict(brief.data)}
    try:
        base["to"] = renderer._recipient(brief)  # noqa: SLF001 - same package
    except LettersmithError as err:
        report.error(err)
    base.update(brief.get("vars") or {})
    base.update(renderer._helpers(draft))  # noqa: SLF001
    steps = [lambda: resolve_signatories(brief, library), lambda: renderer.template_for(brief),
             lambda: renderer.cc_lines(brief)]
    steps += [lambda b=block: renderer.render_block(b, brief, base, draft) for block in brief.body]
    for step in steps:
        try:
            step()
        except LettersmithError as err:
            report.error(err)


# ------------------------------------------------------------------ the library


def check_library(library: Library, stale_after: dt.timedelta,
                  today: dt.date | None = None) -> Report:
    """Every item, used or not: load problems, each argument rendered with its
    default vars, incomplete items, stale facts, and sources nothing cites."""
    from .preview import preview_item
    from .render import Renderer

    report = Report()
    for err in library.problems():
        report.error(err)
    today = today or dt.date.today()
    renderer = Renderer(library)
    cited: set[str] = set()
    broken = {e.file for e in library.problems()}
    for item in library.items.values():
        item_warnings(item, library, report)
        if item.kind == "source" or item.problems or item.id in library.duplicates:
            continue
        if item.kind in ("quote", "fact") and item.data.get("source"):
            cited.add(str(item.data["source"]))
        if item.kind not in ("argument", "quote", "fact"):
            continue
        try:
            preview = preview_item(library, item, date=today, renderer=renderer)
        except LettersmithError as err:
            if err.file not in broken:
                report.error(err)
            continue
        cited.update(preview.draft.used.get("source", []))
        for name in preview.missing_vars:
            report.warn(f"argument {item.id!r} uses {{{{ {name} }}}}, which has no default: "
                        "every brief that uses it must set it (or add it to the front "
                        "matter's vars:)", library.display(item.file), item.body_line)
        document_warnings(preview.doc, library, library.display(item.file), report)
    arguments = list(library.of_kind("argument"))
    stale_fact_warnings(library.ids("fact"), today, stale_after, library, arguments, report)
    for item in library.of_kind("source"):
        if item.id not in cited:
            report.warn(f"source {item.id!r} is cited by no argument, quote or fact "
                        "(a brief may still cite it directly)",
                        library.display(item.file), item.line)
    return report
