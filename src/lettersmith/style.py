"""The ``letters`` citation style: how one source is written in full and short form.

Full forms follow the past letters (Author, "Title," Newspaper, Date, URL); short
forms follow the Bluebook (*Id.*, "Author, *supra* note N", short case names).
Every function returns model inlines, so every writer gets the same text.
"""
from __future__ import annotations

import re
from typing import Any

from . import model as m
from . import punct
from .parse import parse_inline

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
CASE_TYPES = {"legal_case"}
STATUTE_TYPES = {"legislation", "bill", "regulation", "treaty", "legal_statute"}
ITALIC_TITLE_TYPES = {"report", "book", "thesis", "dataset", "legal_case"}
SIGNALS = ("see, e.g.,", "see also", "see generally", "but see", "but cf.", "see", "cf.",
           "e.g.,", "accord", "contra", "compare", "but compare", "and", "with")
DATABASES = ("WL", "LEXIS")  # reporters whose pages are star pages: 2014 WL 1414305, at *13
SHORT_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
                "Nov.", "Dec."]
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


def date_text(source: dict[str, Any], key: str = "issued", short: bool = False) -> str:
    """A CSL date as "October 21, 2020", "May 2015" or "2022" (``short``: "Oct. 21, 2020",
    the Bluebook's abbreviated months, for court and register parentheticals)."""
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
    months = SHORT_MONTHS if short else MONTHS
    if len(parts) >= 3:
        return f"{months[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{months[parts[1] - 1]} {parts[0]}"
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


def first_page(source: dict[str, Any]) -> str:
    """The first page of a page range ("345-401" -> "345")."""
    return re.split(r"\s*[-\u2013,]\s*", str(source.get("page") or ""))[0]


def pin(source: dict[str, Any], locator: str) -> str:
    """The pin as written: a Westlaw or Lexis page is a star page (*13)."""
    container = str(source.get("container-title") or "")
    if locator and container.endswith(DATABASES) and locator[:1].isdigit():
        return "*" + locator
    return locator


def _reporter(source: dict[str, Any], section_pin: str = "") -> str:
    """"975 F.3d 788", "2014 WL 1414305", "86 Fed. Reg. 7009", "8 U.S.C. § 1357(g)(1)"."""
    section = source.get("section")
    where = first_page(source) or (f"\u00a7 {_section(str(section), section_pin)}"
                                   if section else "")
    parts = (source.get("volume"), source.get("container-title"), where)
    return " ".join(str(x) for x in parts if x)


def _sectioned(source: dict[str, Any]) -> bool:
    """A code section (8 U.S.C. § 1357), whose pin is a subsection, not a page."""
    return bool(source.get("section")) and not source.get("page")


def _section(section: str, pin: str) -> str:
    """Section 1357(g) with the pin (g)(1) (or (1)) is 1357(g)(1)."""
    if not pin:
        return section
    if not pin.startswith("("):
        return f"{section}, {pin}"
    sub = section[section.find("("):] if "(" in section else ""
    return section[:len(section) - len(sub)] + pin if sub and pin.startswith(sub) else section + pin


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
            out.extend(m.Str(punct.quoted_title(n.text)) if isinstance(n, m.Str) else n
                       for n in inlines)
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
    """The first, complete citation of a source, then "[*hereinafter* Name]" if it has one."""
    named = hereinafter(source)
    later = [m.Str(" ["), m.Emph([m.Str("hereinafter")]), m.Str(" ")] + named + [m.Str("]")]
    return _full_form(source, locator) + (later if named else [])


def _full_form(source: dict[str, Any], locator: str = "") -> list[m.Inline]:
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
    at_pin = _t(f"at {locator}") if locator else []
    link = [_link(url)] if url else []
    genre = str(source.get("genre") or "").lower()

    if kind in CASE_TYPES:
        cite = _reporter(source) if source.get("volume") else ""
        database = str(source.get("container-title") or "").endswith(DATABASES)
        court = str(source.get("authority") or "")
        when = year_text(source) if cite and not database else date_text(source, short=True)
        paren = " ".join(x for x in (court, when) if x)
        docket = f"No. {number}" if number and (database or not cite) else ""
        if cite and locator:
            cite += f", at {pin(source, locator)}" if database else f", {locator}"
        elif locator:
            docket += f", at {locator}"  # a docket number alone: the pin is not lost
        tail = ", ".join(x for x in (docket, cite) if x)
        tail = f"{tail} ({paren})" if paren else tail
        return _assemble([(_i(title), False), (_t(tail), False), (link, False)])
    if kind in STATUTE_TYPES:
        sectioned = _sectioned(source)
        cite = _reporter(source, locator if sectioned else "")
        if cite and locator and not sectioned:
            cite += f", {locator}"
        when = date_text(source, short=True)
        if cite and when:
            cite += f" ({when})"
        parts = [(_t(title), False), (_t(number) if number not in title else [], False),
                 (_t(cite or date), False), (at_pin if not cite else [], False), (link, False)]
        return _assemble(parts)
    if kind in ("letter", "personal_communication"):
        to = author_text(source, "recipient")
        who = f"{author} to {to}" if to and author else author or to
        return _assemble([(_t(who), False), (_t(title), True), (_t(date), False),
                          (at_pin, False), (link, False)])
    if genre == "press release" or kind == "press-release":
        return _assemble([(_t(author), False), (_t(title), True), (_t("press release"), False),
                          (_t(date), False), (at_pin, False), (link, False)])
    if kind in ITALIC_TITLE_TYPES or kind not in (
            "article-newspaper", "article-magazine", "article-journal", "article", "webpage",
            "post-weblog", "post", "speech", "interview", "broadcast", "motion_picture"):
        return _assemble([(_t(author), False), (_i(title), False), (_t(number), False),
                          (_t(publisher), False), (_t(date), False), (at_pin, False),
                          (link, False)])
    if kind == "article-journal" and source.get("volume") and source.get("page"):
        cite = _reporter(source) + (f", {locator}" if locator else "")
        year = year_text(source)
        return _assemble([(_t(author), False), (_t(title), True),
                          (_t(f"{cite} ({year})" if year else cite), False), (link, False)])
    if kind in ("article-newspaper", "article-magazine", "article-journal"):
        volume = str(source.get("volume") or "")
        where = _t(volume + " ") + _i(container) if volume and container else _i(container)
    else:
        where = _t(container or publisher)
    return _assemble([(_t(author), False), (_t(title), True), (where, False), (_t(date), False),
                      (at_pin, False), (link, False)])


def supra_form(source: dict[str, Any], note: m.NoteRef, locator: str = "",
               titled: bool = False) -> list[m.Inline]:
    """"Author, *supra* note N, at 5": the hereinafter name instead, the short title
    when there is no author, author and short title when ``titled`` (another cited
    work has the same author)."""
    supra: list[m.Inline] = [m.Emph([m.Str("supra")]), m.Str(" note "), note]
    who = short_author(source)
    named = named_part(source)
    if named:
        parts = [named]
    elif who and titled:
        parts = [(_t(who), False), _title_part(source, short=True)]
    else:
        parts = [(_t(who), False)] if who else [_title_part(source, short=True)]
    out = _assemble(parts + [(supra, False)])
    if locator:
        out.append(m.Str(f", at {locator}"))
    return out


def short_form(source: dict[str, Any], locator: str = "") -> list[m.Inline]:
    """A short form without a note number: cases, statutes, or ``subsequent: short``."""
    kind = str(source.get("type") or "")
    title = title_of(source, short=True)
    volume, container = source.get("volume"), source.get("container-title")
    if kind in CASE_TYPES:
        if volume and str(container).endswith(DATABASES):
            tail = _reporter(source) + (f", at {pin(source, locator)}" if locator else "")
            return [m.Emph([m.Str(title)]), m.Str(", " + tail)]
        if volume and container:
            at = locator or first_page(source)
            tail = f"{volume} {container} at {at}" if at else f"{volume} {container}"
            return [m.Emph([m.Str(title)]), m.Str(", " + tail)]
        return [m.Emph([m.Str(title)])] + ([m.Str(f", at {locator}")] if locator else [])
    if kind in STATUTE_TYPES:
        if locator and volume and container and _sectioned(source):
            return [m.Str(f"{title}, {_reporter(source, locator)}")]
        if locator and volume and container:
            return [m.Str(f"{title}, {volume} {container} at {locator}")]
        return [m.Str(title)] + ([m.Str(f", at {locator}")] if locator else [])
    named = named_part(source)
    if named:
        return _assemble([named, (_t(f"at {locator}") if locator else [], False)])
    who = short_author(source)
    at = _t(f"at {locator}") if locator else []
    return _assemble([(_t(who), False), _title_part(source, short=True), (at, False)])


def _title_part(source: dict[str, Any], short: bool = False) -> Part:
    """The title as the source's type sets it: italic, or in quotation marks."""
    kind = str(source.get("type") or "")
    title = title_of(source, short)
    if kind in ITALIC_TITLE_TYPES and not _press_release(source):
        return _i(title), False
    return _t(title), True


def _press_release(source: dict[str, Any]) -> bool:
    return (str(source.get("genre") or "").lower() == "press release"
            or source.get("type") == "press-release")


def named_part(source: dict[str, Any]) -> Part | None:
    """The name a source's ``hereinafter:`` gives it, in its title's typeface."""
    name = str(source.get("hereinafter") or "").strip()
    return _title_part({**source, "title": name}) if name else None


def hereinafter(source: dict[str, Any]) -> list[m.Inline]:
    """The hereinafter name as inlines (in quotation marks for a quoted title), or []."""
    named = named_part(source)
    if not named:
        return []
    inlines, quoted = named
    return [m.Str(f"\u201c{punct.quoted_title(m.plain_text(inlines))}\u201d")] if quoted else inlines


def ibid_form(locator: str, capital: bool, source: dict[str, Any] | None = None) -> list[m.Inline]:
    """*Id.*, *Id.* at 5, or for a code section *Id.* § 1357(g)(2)."""
    word = "Id." if capital else "id."
    if locator and source and _sectioned(source):
        return [m.Emph([m.Str(word)]), m.Str(f" \u00a7 {_section(str(source['section']), locator)}")]
    return [m.Emph([m.Str(word)])] + ([m.Str(f" at {locator}")] if locator else [])


def signal_inlines(prefix: str, capital: bool) -> list[m.Inline]:
    """A signal in italics, capitalized only at the start of a citation sentence.

    The comma after "e.g." stays roman (*See, e.g.*,).  A prefix that already holds
    Markdown emphasis is left as written; prose ending in a signal uses it as a
    verb ("For a summary, see"), all roman, unless a full stop comes between them
    ("Studies agree. *See also*").
    """
    if not prefix:
        return []
    if "*" in prefix or "_" in prefix:
        return parse_inline(prefix) + [m.Str(" ")]
    match = _SIGNAL_END.search(prefix)
    lead = prefix[:match.start()] if match else prefix
    if capital:
        lead = lead[:1].upper() + lead[1:]
    if not match or (lead.strip() and not punct.ends_sentence(lead)):
        return [m.Str(prefix[:1].upper() + prefix[1:] + " " if capital else prefix + " ")]
    signal = match.group(1)
    if capital or lead.strip():
        signal = signal[0].upper() + signal[1:]
    else:
        signal = signal[0].lower() + signal[1:]
    tail = ", " if signal.endswith(",") else " "
    return _t(lead) + [m.Emph([m.Str(signal.rstrip(","))]), m.Str(tail)]
