"""The parts of a past letter: date, recipient, via, subject, salutation, body
(paragraphs and headings), closing, contact, sign-off, signers and cc, and the
attributed quotations in its body."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .cites import MONTHS
from .text import DATE_LINE, MONTH, SIGNOFF

_RECIPIENT_HEAD = (
    r"^(?P<name>(?:The Honorable |Hon\. |Mr\. |Ms\. |Mrs\. |Dr\. )?(?:[A-Z][\w.'’-]*\s+){1,3}?[A-Z][\w'’-]+)"
    r"\s+(?P<title>(?:Acting |Deputy |Assistant |Associate )?(?:Secretary|Director|Attorney General|"
    r"Administrator|Commissioner|Sheriff|Chair\w*|Senator|Representative|Governor|Mayor|Chief|"
    r"President|Officer|Members?)\b")
_RECIPIENT_ADDRESSED = re.compile(_RECIPIENT_HEAD + r".*)\s+(?P<address>(?:[A-Z][a-z]+ )?[A-Z][a-z]+,\s*"
                                  r"[A-Z]{2}\s+\d{5}(?:-\d{4})?)$")
_RECIPIENT = re.compile(_RECIPIENT_HEAD + r".*)$")
_ADDRESS = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?$|^\d+\s+\w|\b(?:Street|St\.|Avenue|Ave\.|"
                      r"Road|Suite|Floor|Building|Box)\b")
_SUBJECT = re.compile(r"^(?:Re|RE|Subject|SUBJECT):\s*(.+)$")
_VIA = re.compile(r"^Via\s+(.{1,40})$", re.I)
_SALUTATION = re.compile(r"^Dear\s+.+[,:]$")
_CONTACT = re.compile(r"^(For (?:questions|more information)|Please contact|To discuss)", re.I)
_CC = re.compile(r"^(?:Cc|CC|cc):\s*(.*)$")
_HEADING = re.compile(r"^\(\d{1,2}\)\s+\S|^[IVX]{1,4}\.\s+\S")
_ASK = re.compile(r"^\d{1,2}[.)]\s+(?=\S)")  # an item of a numbered list: one of the asks
_TITLE_ROW = re.compile(r"^(?:Member of Congress|Members? of Congress|U\.S\. (?:Senator|Representative)|"
                        r"Senator|Representative)$")
_STOP = {"of", "for", "and", "the", "in", "on", "de", "del", "los", "la", "y", "&", "a", "at",
         "to", "an", "for", "des", "le", "-"}
QUOTE_VERBS = (r"(?:said|says|wrote(?: you)?|writes|explained|explains|urged|concluded|noted|"
               r"recognized|vowed|warned|argued|expressed|added|declared|testified|promised|recommended|"
               r"observed|acknowledged|emphasized|reported|found|called for|"
               r"have written(?: you)?|has written|have urged|has urged|has recognized|have recognized|"
               r"have noted|has noted)")
_SAID = r"(?:said|wrote|explained|added|noted)"
_QUOTE_AFTER = re.compile(  # “...,” said NAME, TITLE.  /  “...,” NAME said.
    r"[“\"](?P<q>[^”\"]{25,}?)[,.!?]?[”\"](?:\[\^\d+\])?,?\s+(?:" + _SAID
    + r"\s+(?P<who1>[A-Z][^.;“”\"]{2,120}?)|(?P<who2>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})\s+"
    + _SAID + r"\b[^.;“”\"]*?)[.;]")
_QUOTE_BEFORE = re.compile(r"(?P<who>[A-Z][^.;“”\"]{2,120}?)\s+" + QUOTE_VERBS +
                           r"\b(?P<gap>[^“”\";]{0,160}?)[:,]?\s*[“\"](?P<q>[^”\"]{25,}?)[,.!?]?[”\"]")
_WEB_TAIL = re.compile(r"^(Recent Stories|Related(?: Stories| Articles| Content)?|Read [Mm]ore|"
                       r"More [Ff]rom .*|Share [Tt]his.*|Advertisement|Most Popular)$")
_PRONOUNS = {"he", "she", "they", "it", "we", "he also", "she also"}


@dataclass
class Quote:
    text: str
    speaker: str
    note: int = 0  # the note that cites it, if any
    when: str = ""  # "2021-03" from "in March 2021"


@dataclass
class Parsed:
    date: dt.date | None = None
    recipient: dict[str, Any] = field(default_factory=dict)
    via: str = ""
    subject: str = ""
    salutation: str = ""
    body: list[tuple[str, str]] = field(default_factory=list)  # (text|heading|ask, markdown)
    closing: str = ""
    contact: str = ""
    signoff: str = ""
    signers: list[dict[str, str]] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    orphan_urls: list[str] = field(default_factory=list)
    run_on: list[int] = field(default_factory=list)  # signers that may be several names
    unplaced: list[str] = field(default_factory=list)


def parse_date(text: str) -> dt.date | None:
    match = re.search(rf"({MONTH})\s+(\d{{1,2}}),\s+(\d{{4}})", text)
    if not match:
        return None
    try:
        return dt.date(int(match.group(3)), MONTHS[match.group(1)[:3].lower()], int(match.group(2)))
    except ValueError:
        return None


def parse_recipient(text: str) -> dict[str, Any]:
    """'The Honorable A B Secretary of X Washington, DC 20528' into name, title, address."""
    text = " ".join(text.split())
    match = _RECIPIENT_ADDRESSED.match(text) or _RECIPIENT.match(text)
    if not match:
        return {"name": text.strip()}
    out: dict[str, Any] = {"name": match.group("name"), "title": match.group("title").strip(" ,")}
    if match.groupdict().get("address"):
        out["address"] = [match.group("address")]
    return out


def signer_like(line: str, longest: int = 150) -> bool:
    """Whether a line reads like an organization's or a person's name."""
    words = [w for w in re.findall(r"[\w'’.&+-]+", line) if w.lower() not in _STOP]
    if not words or len(line) > longest or "://" in line or line.rstrip().endswith((".", ":")) and \
            not line.rstrip().endswith(("Inc.", "Jr.", "LLC.", "Co.")):
        return False
    capital = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return capital / len(words) >= 0.6


def _asks(text: str) -> list[str]:
    """The items of a numbered list, also when text extraction ran them together
    ("1. end it; 2. publish the numbers."): split where the next number follows."""
    items: list[str] = []
    number = int(re.match(r"\d+", text).group())  # type: ignore[union-attr]
    rest = _ASK.sub("", text, count=1)
    while True:
        nxt = re.search(rf"\s{number + 1}[.)]\s+(?=\S)", rest)
        if not nxt:
            break
        items.append(rest[:nxt.start()].strip())
        rest, number = rest[nxt.end():], number + 1
    return items + [rest.strip()]


def parse_letter(paragraphs: list[str]) -> Parsed:
    """Sort a letter's paragraphs into its parts."""
    out = Parsed()
    start = next((i for i, p in enumerate(paragraphs) if _SALUTATION.match(p.strip())), None)
    if start is None:  # a press release or an article: the header is what precedes the prose
        start = next((i for i, p in enumerate(paragraphs) if len(p) > 200), len(paragraphs)) - 1
    else:
        out.salutation = paragraphs[start].strip()
    _header(paragraphs[:max(start, 0)], out)
    zone = "body"
    for para in paragraphs[start + 1:]:
        text = para.strip()
        if not text:
            continue
        if zone == "body":
            if text == "###" or _WEB_TAIL.match(text):
                zone = "after"
            elif SIGNOFF.match(text):
                out.signoff, zone = text, "signers"
            elif text.startswith("Thank you") and len(text) < 400 and out.salutation:
                out.closing = text
                zone = "closing"
            elif _CONTACT.match(text) and len(text) < 400:
                out.contact = text
            elif text == "###" or _WEB_TAIL.match(text):
                zone = "after"
            elif _ASK.match(text) and out.salutation:
                out.body.extend(("ask", item) for item in _asks(text))
            elif _HEADING.match(text) or (len(text) < 90 and not re.search(r"[.?!:”\"\]]$", text)
                                          and out.salutation):
                out.body.append(("heading", text))
            elif len(text) < 60 and not out.salutation:
                out.unplaced.append(text)
            else:
                out.body.append(("text", text))
            continue
        if zone == "closing":
            if SIGNOFF.match(text):
                out.signoff, zone = text, "signers"
                continue
            if _CONTACT.match(text):
                out.contact = text
                continue
            zone = "signers"
        if zone in ("signers", "cc"):
            _signature_line(text, out, zone)
            if _CC.match(text):
                zone = "cc"
        else:
            out.unplaced.append(text)
    out.quotes = find_quotes([t for k, t in out.body if k == "text"])
    everything = "\n".join(paragraphs)
    for quote in out.quotes:
        if re.fullmatch(r"[A-Z][\w’'-]+", quote.speaker):
            full = re.search(rf"\b((?:[A-Z][\w.’'-]+\s+){{1,3}}){quote.speaker}\b", everything)
            if full and not re.search(r"\b(The|In|As|Said|By)\b", full.group(1)):
                quote.speaker = full.group(1) + quote.speaker
    return out


def _header(paragraphs: list[str], out: Parsed) -> None:
    subject_open = False
    for para in paragraphs:
        text = " ".join(para.split())
        if not text:
            continue
        if DATE_LINE.match(text) and out.date is None:
            out.date = parse_date(text)
            subject_open = False
        elif _VIA.match(text) and len(text) < 40:
            out.via = _VIA.match(text).group(1).strip()  # type: ignore[union-attr]
            subject_open = False
        elif _SUBJECT.match(text):
            out.subject = _SUBJECT.match(text).group(1).strip()  # type: ignore[union-attr]
            subject_open = True
        elif subject_open and len(text) < 80:
            out.subject += " " + text
        elif not out.recipient and _RECIPIENT.match(text):
            out.recipient = parse_recipient(text)
        elif not out.recipient and text.startswith("The Honorable"):
            out.recipient = {"name": text}
        elif out.recipient and not out.recipient.get("title") and len(text) < 80:
            out.recipient["title"] = text
        elif out.recipient and len(text) < 80 and _ADDRESS.search(text):
            out.recipient.setdefault("address", []).append(text)
        elif out.date is None and parse_date(text) and len(text) < 40:
            out.date = parse_date(text)
        elif len(text) > 30 and not out.subject and not out.recipient:
            out.subject = text  # a release's or article's headline
        else:
            out.unplaced.append(text)


def _signature_line(text: str, out: Parsed, zone: str) -> None:
    cc = _CC.match(text)
    if cc:
        if cc.group(1):
            out.cc.append(cc.group(1))
        return
    if zone == "cc":
        out.cc.append(text)
        return
    if re.fullmatch(r"https?://\S+", text):
        out.orphan_urls.append(text)
        return
    columns = [c.strip() for c in re.split(r"\s{2,}|\t", text) if c.strip()]
    if all(re.fullmatch(r"_+|/s/", c) for c in columns):
        return
    if all(_TITLE_ROW.match(c) for c in columns):
        untitled = [s for s in out.signers if "title" not in s]
        for signer in untitled[-len(columns):]:
            signer["title"] = columns[0]
        return
    if not all(signer_like(c) for c in columns):
        if len(columns) == 1 and signer_like(text, longest=2000):
            out.run_on.append(len(out.signers))  # several names run together: split later
            out.signers.append({"name": text})
            return
        out.unplaced.append(text)
        return
    out.signers.extend({"name": c} for c in columns)


# ------------------------------------------------------------------ quotations


def _speaker(who: str) -> str:
    who = re.sub(r"^(?:As|In|On|At|During|Since|After|Before|Even|Indeed|But|And|Yet)\b[^,]*,\s*", "", who)
    who = re.sub(r"^(?:As|Even|Also|And|But|Indeed)\s+", "", who)
    who = re.sub(r"\s+(?:recently|also|himself|herself|themselves|itself|even|once|has|have|had|"
                 r"repeatedly|publicly)\b.*$", "", who)
    return who.strip(" ,")


def find_quotes(paragraphs: list[str]) -> list[Quote]:
    """Quotations with an attributed speaker, in order of appearance."""
    found: list[Quote] = []
    for para in paragraphs:
        taken: list[tuple[int, int]] = []
        for pattern in (_QUOTE_AFTER, _QUOTE_BEFORE):
            for match in pattern.finditer(para):
                if any(a <= match.start("q") < b for a, b in taken):
                    continue
                if pattern is _QUOTE_AFTER:
                    who = match.group("who1") or match.group("who2")
                else:
                    who = match.group("who")
                speaker = _speaker(who or "")
                if not speaker:
                    continue
                if speaker.lower() in _PRONOUNS:
                    if not found:
                        continue
                    speaker = found[-1].speaker
                text = match.group("q").strip()
                if len(text.split()) < 6:
                    continue
                rest = para[match.end("q"):]
                end = re.search(r"[.?!][”\"]?(?:\[\^\d+\])*(?:\s|$)", rest)
                sentence_end = rest[:end.end()] if end else rest
                note = re.search(r"\[\^(\d+)\]", sentence_end)
                sentence = para[max(0, para.rfind(". ", 0, match.start()) + 1):match.end()]
                when = re.search(rf"in ({MONTH})\s+(\d{{4}})", sentence)
                quote = Quote(text, speaker, int(note.group(1)) if note else 0,
                              f"{when.group(2)}-{MONTHS[when.group(1)[:3].lower()]:02d}" if when else "")
                found.append(quote)
                taken.append((match.start("q"), match.end("q")))
    return found


def speaker_kind(speaker: str) -> str:
    text = speaker.lower()
    if re.search(r"law enforcement|sheriff|police|prosecutor|attorney general", text):
        return "law-enforcement"
    if re.search(r"congress|\brep\.|senator|representative", text):
        return "congress"
    if re.search(r"faith|congregation|church|clergy|rabbi", text):
        return "faith"
    if re.search(r"president|secretary|director|task force|department|administration|governor", text):
        return "official"
    return "organization"
