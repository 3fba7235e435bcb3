"""The ``letters`` citation style: how one source is written in full and short form.

Full forms follow the past letters (Author, "Title," Newspaper, Date, URL); short
forms follow the Bluebook (*Id.*, "Author, *supra* note N", short case names).
Every function returns model inlines, so every writer gets the same text.
"""
from __future__ import annotations

import re
from typing import Any

from . import model as m
from .parse import parse_inline

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
CASE_TYPES = {"legal_case"}
STATUTE_TYPES = {"legislation", "bill", "regulation", "treaty", "legal_statute"}
ITALIC_TITLE_TYPES = {"report", "book", "thesis", "dataset", "legal_case"}
SIGNALS = ("see, e.g.,", "see also", "see generally", "but see", "but cf.", "see", "cf.",
           "e.g.,", "accord", "contra", "compare", "but compare", "and")
_SIGNAL_END = re.compile(r"(?:^|(?<=[\s,]))(" + "|".join(re.escape(s) for s in SIGNALS) + r")$",
                         re.I)


# ------------------------------------------------------------------- pieces


def names(source: dict[str, Any], key: str = "author") -> list[dict[str, Any]]:
    value = source.get(key) or []
    if isinstance(value, (str, dict)):
        value = [value]
    return [{"literal": v} if isinstance(v, str) else dict(v) for v in value]


def _full_name(person: dict[str, Any]) -> str:
    if person.get("literal"):
        return str(person["literal"])
    parts = [person.get("given"), person.get("non-dropping-particle"), person.get("family")]
    name = " ".join(str(p) for p in parts if p)
    return f"{name}, {person['suffix']}" if person.get("suffix") else name


def _join(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def author_text(source: dict[str, Any], key: str = "author") -> str:
    """All authors as written in a full citation: "A, B and C"."""
    return _join([_full_name(p) for p in names(source, key)])


def short_author(source: dict[str, Any]) -> str:
    """Authors in a short form: one or two family names, or "X et al."."""
    people = names(source)
    if not people:
        return ""
    short = [str(p.get("literal") or p.get("family") or _full_name(p)) for p in people]
    if len(short) > 2:
        return short[0] + " et al."
    return " & ".join(short)


def date_text(source: dict[str, Any], key: str = "issued") -> str:
    """A CSL date as "October 21, 2020", "May 2015" or "2022"."""
    value = source.get(key)
    if not value:
        return ""
    if isinstance(value, dict):
        if value.get("literal"):
            return str(value["literal"])
        parts = (value.get("date-parts") or [[]])[0]
    elif isinstance(value, (list, tuple)):
        parts = value
    else:
        text = str(value)
        match = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$", text)
        if not match:
            return text
        parts = [int(p) for p in match.groups() if p]
    parts = [int(p) for p in parts]
    if len(parts) >= 3:
        return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0]) if parts else ""


def year_text(source: dict[str, Any]) -> str:
    value = source.get("issued")
    if isinstance(value, dict) and value.get("date-parts"):
        return str(value["date-parts"][0][0])
    match = re.match(r"^(\d{4})", str(value or ""))
    return match.group(1) if match else ""


def title_of(source: dict[str, Any], short: bool = False) -> str:
    if short and source.get("title-short"):
        return str(source["title-short"])
    return str(source.get("title") or source.get("id") or "")


def _link(url: str) -> m.Inline:
    return m.Link([m.Str(url)], url)


# --------------------------------------------------------------- assembling

Part = tuple[list[m.Inline], bool]  # (inlines, quoted title?)


def _assemble(parts: list[Part]) -> list[m.Inline]:
    """Join pieces with commas; a quoted title takes its comma inside the quotes."""
    parts = [(p, q) for p, q in parts if p]
    out: list[m.Inline] = []
    for index, (inlines, quoted) in enumerate(parts):
        more = index < len(parts) - 1
        if quoted:
            out.append(m.Str("\u201c"))
            out.extend(inlines)
            out.append(m.Str(",\u201d " if more else "\u201d"))
        else:
            out.extend(inlines)
            if more:
                out.append(m.Str(", "))
    return out


def _t(text: str) -> list[m.Inline]:
    return [m.Str(text)] if text else []


def _i(text: str) -> list[m.Inline]:
    return [m.Emph([m.Str(text)])] if text else []


def full_form(source: dict[str, Any], locator: str = "") -> list[m.Inline]:
    """The first, complete citation of a source."""
    kind = str(source.get("type") or "document")
    author = author_text(source)
    title = title_of(source)
    container = str(source.get("container-title") or "")
    publisher = str(source.get("publisher") or "")
    if publisher == author:
        publisher = ""
    date = date_text(source)
    url = str(source.get("URL") or "")
    number = str(source.get("number") or "")
    pin = _t(f"at {locator}") if locator else []
    link = [_link(url)] if url else []
    genre = str(source.get("genre") or "").lower()

    if kind in CASE_TYPES:
        volume, page = source.get("volume"), source.get("page")
        cite = " ".join(str(x) for x in (volume, container, page) if x)
        if cite and locator:
            cite += f", {locator}"
        court = str(source.get("authority") or "")
        when = date if not volume else year_text(source)
        paren = " ".join(x for x in (court, when) if x)
        tail = f"{cite} ({paren})" if paren else cite
        if number and not volume:
            tail = f"No. {number}" + (f" ({paren})" if paren else "")
        return _assemble([(_i(title), False), (_t(tail), False), (link, False)])
    if kind in STATUTE_TYPES:
        volume, page = source.get("volume"), source.get("page")
        cite = " ".join(str(x) for x in (volume, container, page) if x)
        if cite and date:
            cite += f" ({date})"
        parts = [(_t(title), False), (_t(number) if number not in title else [], False),
                 (_t(cite or date), False), (pin, False), (link, False)]
        return _assemble(parts)
    if kind in ("letter", "personal_communication"):
        to = author_text(source, "recipient")
        who = f"{author} to {to}" if to and author else author or to
        return _assemble([(_t(who), False), (_t(title), True), (_t(date), False),
                          (pin, False), (link, False)])
    if genre == "press release" or kind == "press-release":
        return _assemble([(_t(author), False), (_t(title), True), (_t("press release"), False),
                          (_t(date), False), (pin, False), (link, False)])
    if kind in ITALIC_TITLE_TYPES or kind not in (
            "article-newspaper", "article-magazine", "article-journal", "article", "webpage",
            "post-weblog", "post", "speech", "interview", "broadcast", "motion_picture"):
        return _assemble([(_t(author), False), (_i(title), False), (_t(number), False),
                          (_t(publisher), False), (_t(date), False), (pin, False),
                          (link, False)])
    if kind in ("article-newspaper", "article-magazine", "article-journal"):
        volume = str(source.get("volume") or "")
        where = _i(" ".join(x for x in (volume, container) if x))
    else:
        where = _t(container or publisher)
    return _assemble([(_t(author), False), (_t(title), True), (where, False), (_t(date), False),
                      (pin, False), (link, False)])


def supra_form(source: dict[str, Any], note: m.NoteRef, locator: str = "") -> list[m.Inline]:
    """"Author, *supra* note N, at 5" (the title when there is no author)."""
    who = short_author(source)
    lead: list[m.Inline] = [m.Str(who)] if who else [m.Emph([m.Str(title_of(source, True))])]
    out = lead + [m.Str(", "), m.Emph([m.Str("supra")]), m.Str(" note "), note]
    if locator:
        out.append(m.Str(f", at {locator}"))
    return out


def short_form(source: dict[str, Any], locator: str = "") -> list[m.Inline]:
    """A short form without a note number: cases, statutes, or ``subsequent: short``."""
    kind = str(source.get("type") or "")
    title = title_of(source, short=True)
    if kind in CASE_TYPES:
        volume, container, page = source.get("volume"), source.get("container-title"), source.get("page")
        if volume and container:
            at = locator or page or ""
            tail = f"{volume} {container} at {at}" if at else f"{volume} {container}"
            return [m.Emph([m.Str(title)]), m.Str(", " + tail)]
        return [m.Emph([m.Str(title)])] + ([m.Str(f", at {locator}")] if locator else [])
    if kind in STATUTE_TYPES:
        return [m.Str(title)] + ([m.Str(f", at {locator}")] if locator else [])
    who = short_author(source)
    titled = (_i(title) if kind in ITALIC_TITLE_TYPES or kind == "report"
              else [m.Str(f"\u201c{title}\u201d")])
    out = ([m.Str(who + ", ")] if who else []) + titled
    if locator:
        out.append(m.Str(f", at {locator}"))
    return out


def ibid_form(locator: str, capital: bool) -> list[m.Inline]:
    word = "Id." if capital else "id."
    return [m.Emph([m.Str(word)])] + ([m.Str(f" at {locator}")] if locator else [])


def signal_inlines(prefix: str, capital: bool) -> list[m.Inline]:
    """A signal in italics, capitalized only at the start of a citation sentence.

    A prefix that already holds Markdown emphasis is left as written; prose that
    ends in a signal ("For a summary of studies, see") italicizes the signal only.
    """
    if not prefix:
        return []
    if "*" in prefix or "_" in prefix:
        return parse_inline(prefix) + [m.Str(" ")]
    match = _SIGNAL_END.search(prefix)
    if match and match.start() == 0:
        signal = prefix
        signal = signal[0].upper() + signal[1:] if capital else signal[0].lower() + signal[1:]
        return [m.Emph([m.Str(signal)]), m.Str(" ")]
    if match:
        lead = prefix[:match.start()]
        if capital:
            lead = lead[0].upper() + lead[1:]
        return [m.Str(lead), m.Emph([m.Str(match.group(1))]), m.Str(" ")]
    text = prefix[0].upper() + prefix[1:] if capital else prefix
    return [m.Str(text + " ")]
