"""A note's text into citations: split it into citation sentences, read each one's
author, title, container, date, URL and pin, and match it to a library source by
URL or normalized title (or make a new CSL item)."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from .text import MONTH, roman

SIGNAL = re.compile(r"^(See, e\.g\.,|See also|See generally|But see|But cf\.|Cf\.|See|E\.g\.,|"
                    r"Accord|Compare)\s+", re.I)
_MID_SIGNAL = re.compile(r",\s+(see(?:, e\.g\.,| also| generally)?)\s+(?=[A-Z“\"*])")
URL = re.compile(r"<?(https?://[^\s<>]+)>?")
_QUOTED = re.compile(r"[“\"](?P<t>[^”\"]{3,400}?)[”\"]")
_UNOPENED = re.compile(r"^(?P<t>[^“\"”]{3,200}?)[,.][”\"]")
_ITALIC = re.compile(r"\*(?P<t>[^*]{3,400})\*")
_CASE = re.compile(r"(?P<title>[A-Z][^,;]*? v\. [^,;]+?),\s+(?P<volume>\d+)\s+(?P<reporter>[A-Z][A-Za-z. ]*?\d?[a-z]{0,2})\s+"
                   r"(?P<page>\d+)(?:,\s*(?P<pin>\d+))?\s*\((?P<court>[^()]*?)\s*(?P<year>\d{4})\)")
_DATE = re.compile(rf"(?P<month>{MONTH})\s+(?:(?P<day>\d{{1,2}}),?\s+)?(?P<year>(?:19|20)\d{{2}})")
_REGISTER = re.compile(r",?\s*(\d+)\s+(?:FR|Fed\. ?Reg\.)\s+(\d+)")
_YEAR = re.compile(r"(?<![\d-])((?:19|20)\d{2})(?![\d-])")
_ABBREVIATION = re.compile(r"(?:^|[\s“\"(])(?:[A-Z][a-z]{0,3}|[A-Za-z]+[’'][a-z]+|[A-Z](?:\.[A-Z])*|"
                           r"al|e\.g|i\.e|v|No|Supp|Cir|Inc|Jr|Sr|St|Dep[’']t|Nat[’']l)$")
NEWSPAPERS = {"usa today", "washington post", "the washington post", "los angeles times",
              "new york times", "the new york times", "nbc news", "wgbh news", "politico",
              "spectrum news ny1", "the guardian", "associated press", "reuters", "cnn",
              "npr", "the hill", "roll call", "cq roll call", "miami herald", "houston chronicle",
              "wall street journal", "the wall street journal", "chicago tribune"}
MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"], 1)}


@dataclass
class Piece:
    """One citation sentence of a note, or a stretch of its own prose."""

    text: str
    prose: bool = False
    signal: str = ""
    source: dict[str, Any] = field(default_factory=dict)  # a CSL item, without id
    locator: str = ""
    suffix: str = ""
    ibid: bool = False
    supra: int = 0  # "supra note N"
    source_id: str = ""  # set when matched or made


def clean_urls(text: str) -> str:
    """Undo line-break damage inside URLs (``%2 0on`` and ``Entanglement %20with``)."""
    text = re.sub(r"(https?://\S*%2) (0\S*)", r"\1\2", text)
    return re.sub(r"(https?://\S*) (%[0-9A-Fa-f]{2}\S*)", r"\1\2", text)


def split_sentences(text: str) -> list[str]:
    """Citation sentences: split at semicolons and at sentence ends that are not abbreviations."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0 and not _in_url(text, i):
            parts.append(text[start:i])
            start = i + 1
        elif ch == "." and depth == 0 and text[i + 1:i + 2] == " " and re.match(r"[A-Z“\"*]", text[i + 2:i + 3]):
            before = text[start:i]
            if _in_url(text, i) and not text[i + 1:i + 2].isspace():
                continue
            if not _ABBREVIATION.search(before) or re.search(r"https?://\S+$", before):
                parts.append(text[start:i + 1])
                start = i + 2
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip(" .")]


def _in_url(text: str, i: int) -> bool:
    start = text.rfind(" ", 0, i) + 1
    return "://" in text[start:i] and i + 1 < len(text) and not text[i + 1].isspace()


# A bare "Id." note, italic or not, after a signal or not: "*Id.*", "Id. at 5", "*See id.*"
_IBID = re.compile(r"^\*?(?:(?:see(?: also)?|cf\.|accord),?\s+)?\*?id\*?\.?\*?(?:,? at\b|\s|$)",
                   re.I)


def looks_like_citation(text: str) -> bool:
    return bool(URL.search(text) or _QUOTED.search(text) and re.search(r"[,.][”\"]", text)
                or _ITALIC.search(text) or _CASE.search(text)
                or _IBID.match(text) or "supra" in text
                or (_DATE.search(text) and "," in text and len(text) < 300))


_ITALIC_SIGNAL = re.compile(r"\*((?:see(?:, e\.g\.,| also| generally)?|cf\.|e\.g\.,|but see|accord|"
                            r"compare|id\.)[,]?)\*", re.I)


def parse_note(text: str) -> list[Piece]:
    """The pieces of one note: citations (with a CSL guess) and prose."""
    text = _ITALIC_SIGNAL.sub(r"\1", clean_urls(" ".join(text.split())))
    pieces: list[Piece] = []
    for sentence in split_sentences(text):
        mid = _MID_SIGNAL.search(sentence)
        if mid and not looks_like_citation(sentence[:mid.start()]):
            pieces.append(Piece(sentence[:mid.start()] + ",", prose=True))
            sentence = mid.group(1) + " " + sentence[mid.end():]
        if looks_like_citation(sentence):
            pieces.append(parse_citation(sentence))
        elif pieces and pieces[-1].prose:
            pieces[-1].text += " " + sentence
        else:
            pieces.append(Piece(sentence, prose=True))
    return pieces


def parse_citation(text: str) -> Piece:
    """One citation sentence into a Piece with a CSL item guess."""
    piece = Piece(text)
    rest = text.strip().rstrip(".").strip()
    star = "*" if rest.startswith("*") else ""  # "*See Gonzalez v. ICE*": italics run together
    signal = SIGNAL.match(rest[len(star):])
    if signal:
        piece.signal = signal.group(1)[0].upper() + signal.group(1)[1:]
        rest = star + rest[len(star) + signal.end():]
    bare = rest.replace("*", "")
    ibid = re.match(r"^Id\.?(?:,? at (?P<pin>[\w\-–]+))?(?:$|[\s,.])", bare, re.I)
    if ibid:
        piece.ibid, piece.locator = True, ibid.group("pin") or ""
        return piece
    supra = re.search(r"supra note (\d+|[ivxlc]+)\b(?:, at (\S+))?", bare)
    if supra:
        number = supra.group(1)
        piece.supra = int(number) if number.isdigit() else (roman(number) or 0)
        piece.locator = (supra.group(2) or "").rstrip(".,")
        return piece
    source: dict[str, Any] = {}
    url = URL.search(rest)
    if url:
        source["URL"] = url.group(1).rstrip(".,;")
        if source["URL"].endswith(")") and "(" not in source["URL"]:
            source["URL"] = source["URL"][:-1]
        after = rest[url.end():].strip(" .,")
        rest = rest[:url.start()].rstrip(" ,")
        paren = re.match(r"^\((.*)\)$", after)
        if paren:
            piece.suffix = f"({paren.group(1)})"
    case = _CASE.search(rest.replace("*", ""))
    if case:
        source.update({"type": "legal_case", "title": case.group("title").strip(),
                       "volume": int(case.group("volume")), "container-title": case.group("reporter").strip(),
                       "page": int(case.group("page")), "authority": case.group("court").strip(),
                       "issued": {"date-parts": [[int(case.group("year"))]]}})
        piece.locator = case.group("pin") or ""
        piece.source = source
        return piece
    register = _REGISTER.search(rest)
    if register:
        source.update({"type": "legislation", "container-title": "Fed. Reg.",
                       "volume": int(register.group(1)), "page": int(register.group(2))})
        rest = (rest[:register.start()] + rest[register.end():]).strip(" ,")
    trailing = re.search(r"\s*\(([^()]*)\)\s*$", rest)
    if trailing and not _DATE.search(trailing.group(1)) and not _YEAR.search(trailing.group(1)) \
            and not piece.suffix:
        piece.suffix = f"({trailing.group(1)})"
        rest = rest[:trailing.start()]
    _fields(rest, source)
    piece.source = source
    return piece


def _url_title(url: str) -> str:
    """A title from a URL's last segment when it reads like one (4 words or more)."""
    from urllib.parse import unquote
    last = unquote(url.rstrip("/").rsplit("/", 1)[-1])
    last = re.sub(r"\.(pdf|html?|aspx?|docx?)$", "", last, flags=re.I)
    last = re.sub(r"^[\d.\s_-]+(?:-\s*)?", "", last).replace("_", " ")
    words = re.findall(r"[A-Za-z]+", last)
    return " ".join(last.split()) if len(words) >= 4 and " " in last else ""


def _date_parts(text: str) -> dict[str, Any] | None:
    found = list(_DATE.finditer(text))
    if found:
        match = found[-1]
        parts = [int(match.group("year")), MONTHS[match.group("month")[:3].lower()]]
        if match.group("day"):
            parts.append(int(match.group("day")))
        return {"date-parts": [parts]}
    years = _YEAR.findall(text)
    return {"date-parts": [[int(years[-1])]]} if years else None


def _strip_date(text: str) -> str:
    text = re.sub(rf"\(?{_DATE.pattern}\)?", "", text)
    return re.sub(r"\(\s*\)|\s+,", "", text).strip(" ,")


def _fields(rest: str, source: dict[str, Any]) -> None:
    """Author, title, container and date from a citation without its URL."""
    found = [m for m in (_ITALIC.search(rest), _QUOTED.search(rest)) if m]
    title = min(found, key=lambda m: m.start()) if found else _UNOPENED.search(rest)
    italic = bool(title and title.re is _ITALIC)
    if title:
        before, after = rest[:title.start()], rest[title.end():]
        source["title"] = title.group("t").strip().rstrip(",").strip().lstrip("\"“")
        inner = re.match(r"^(?P<a>[A-Z][\w.&’' ]{1,30}), (?P<t>\S+(?: \S+){2,}.*)$", source["title"])
        if italic and inner and not before.strip(" ,*") and len(inner.group("a").split()) <= 4:
            before, source["title"] = inner.group("a"), inner.group("t")
        if before.strip() and before.strip() != "*":
            author = before.strip(" ,*")
            letter = re.match(r"^(?P<a>.+?) to (?P<r>.+)$", author)
            if letter:
                source["type"] = "letter"
                source["recipient"] = [{"literal": letter.group("r").strip()}]
                author = letter.group("a")
            if not _DATE.search(author):
                source["author"] = authors(author)
        date = _date_parts(after) or _date_parts(before)
        if date:
            source["issued"] = date
        container = _YEAR.sub("", _strip_date(after.strip(" ,*"))).replace("*", "").strip(" ,")
        container = re.split(r",\s*(?=[A-Z]{2,}-?\d|No\.|at\s)", container)[0].strip(" ,")
        if container and len(container) < 80 and "container-title" not in source:
            source["container-title"] = container
        if "type" not in source and source.get("container-title") == "Fed. Reg.":
            source["type"] = "legislation"
        if "type" not in source:
            source["type"] = "report" if italic else (
                "article-newspaper" if container.lower() in NEWSPAPERS else "webpage"
                if source.get("URL") else "article")
        return
    date = _date_parts(rest)
    if date:
        source["issued"] = date
    parts = [p.strip(" \"“”") for p in re.split(r",\s+(?![^()]*\))", _strip_date(rest))
             if p.strip(" \"“”")]
    parts = [re.sub(r"\s+(?:of|on|from)$", "", p) for p in parts if not re.fullmatch(r"\(?\d{4}\)?", p)]
    if not parts:
        source["type"] = "webpage"
        if source.get("URL"):
            words = re.findall(r"[A-Za-z]{2,}", norm_url(str(source["URL"])).split("/")[-1])
            source["title"] = " ".join(words).capitalize() or str(source["URL"])
        return
    letter = re.match(r"^(?P<a>.+?) to (?P<r>[A-Z].+)$", parts[0])
    if letter:
        source.update({"type": "letter", "author": authors(letter.group("a")),
                       "recipient": [{"literal": letter.group("r")}],
                       "title": _url_title(str(source.get("URL", ""))) or f"Letter to {letter.group('r')}"})
        return
    if len(parts) > 1 and len(parts[0].split()) <= 6:
        source["author"] = [{"literal": parts[0]}]
        source["title"] = parts[1]
    else:
        source["title"] = parts[0]
    source["type"] = "report" if source.get("author") or str(source.get("URL", "")).endswith(
        ".pdf") else "document"


_ORG = re.compile(r"\b(Center|Institute|Office|Department|Dep[’']t|Association|Union|Project|"
                  r"Council|Forum|Partnership|Committee|Coalition|News|Times|Post|ACLU|U\.S\.|"
                  r"of|for|the|on)\b")


_PARTICLES = {"de", "della", "del", "da", "di", "van", "von", "la", "le", "du"}
_HONORIFIC = re.compile(r"^(?:Rep\.|Sen\.|Hon\.|Dr\.|Gov\.|The Honorable)\s+")


def authors(text: str) -> list[dict[str, str]]:
    """Names as CSL names: people as family/given, organizations as literal."""
    text = text.strip(" ,")
    if re.search(r"\bet al\.?$", text):
        return [{"literal": text}]
    names = [_HONORIFIC.sub("", n).strip() for n in re.split(r",\s+(?:and\s+)?|\s+and\s+", text)
             if n.strip()]
    people = all(2 <= len(n.split()) <= 4 and not _ORG.search(n) and all(
        w[:1].isupper() or w in _PARTICLES for w in n.split()) for n in names)
    if not people:
        return [{"literal": text}]
    out = []
    for name in names:
        words = name.split()
        split = next((i for i, w in enumerate(words[1:], 1) if w in _PARTICLES), len(words) - 1)
        out.append({"family": " ".join(words[split:]), "given": " ".join(words[:split])})
    return out


# ------------------------------------------------------------------ matching


def norm_url(url: str) -> str:
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return url.split("#")[0].rstrip("/.")


def norm_title(title: str) -> str:
    text = title.lower().replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(re.findall(r"[a-z0-9]+", text))


def same_source(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two CSL items are the same work: URL first, then title (or short title)."""
    ua, ub = a.get("URL"), b.get("URL")
    if ua and ub:
        na, nb = norm_url(str(ua)), norm_url(str(ub))
        if na == nb or difflib.SequenceMatcher(None, na, nb).ratio() >= 0.96:
            return True
    titles_a = {norm_title(str(a.get(k) or "")) for k in ("title", "title-short")} - {""}
    titles_b = {norm_title(str(b.get(k) or "")) for k in ("title", "title-short")} - {""}
    if not titles_a or not titles_b:
        return False
    if a.get("type") == "legal_case" or b.get("type") == "legal_case":
        return bool(titles_a & titles_b) and str(a.get("volume")) == str(b.get("volume"))
    for ta in titles_a:
        for tb in titles_b:
            if ta == tb and (len(ta) >= 25 or not (ua and ub) or _same_site(str(ua), str(ub))):
                return True
            short, long_ = sorted((ta, tb), key=len)
            if len(short) >= 40 and long_.startswith(short):
                return True
            if len(short) >= 25 and difflib.SequenceMatcher(None, ta, tb).ratio() >= 0.96:
                return True
    return False


def _same_site(a: str, b: str) -> bool:
    return norm_url(a).split("/")[0] == norm_url(b).split("/")[0]


def slug_overlap(url: str, title: str) -> float:
    """How much of a URL's path words the title has (to place an orphaned URL)."""
    slug = set(re.findall(r"[a-z]{3,}", norm_url(url).split("/", 1)[-1])) - {"www", "com", "org",
                                                                              "html", "pdf", "story"}
    words = set(norm_title(title).split())
    return len(slug & words) / len(slug) if slug else 0.0
