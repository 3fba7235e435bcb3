"""The press release, built from a built letter through the same pipeline: the
brief's ``press:`` section and the letter's recipient, signers and text are
rendered through a Jinja2 template to Markdown, parsed into the document model,
cited, and written by the same writers."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import jinja2

from .. import model as m
from ..brief import Block
from ..build import Letter, document_from, renderer_for
from ..errors import LettersmithError, suggest
from ..library import Item
from ..render import Draft, Renderer, clean_text, long_date, md_escape
from .counts import SignerCounts, count_signers
from .letter import block_texts, quote_from_letter
from .section import Press, read_press

_ASK_END = re.compile(r"(?:[;,]\s*(?:and|or)|[;.,])\s*$")
_HONORIFIC = re.compile(r"^(?:The\s+)?(?:Honorable|Hon\.)\s+", re.I)


@dataclass
class Spoken:
    """One spokesperson's paragraph: who, and the library quotes it used (if any)."""

    speaker: str
    title: str
    line: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Release:
    """A built release: its section, Markdown draft, numbered document and counts."""

    letter: Letter
    press: Press
    draft: Draft
    doc: m.Document
    counts: SignerCounts
    spoken: list[Spoken] = field(default_factory=list)


def attribution(speaker: str, title: str, organization: str, written: str = "") -> str:
    """Who said it, after "said": "Jane Doe, Policy Director at Example Org".

    ``written`` (a quote's ``attribution:``) replaces what follows the name.
    """
    if written:
        return f"{speaker}, {written}"
    if title and organization:
        return f"{speaker}, {title} at {organization}"
    if title or organization:
        return f"{speaker}, {title or organization}"
    return speaker


def statement(parts: list[str], who: str) -> str:
    """“First part,” said WHO. “The rest.” (Markdown)."""
    first = parts[0].strip()
    if first.endswith("."):
        first = first[:-1] + ","
    elif first[-1:] not in ",?!":
        first += ","
    text = f"\u201c{md_escape(first)}\u201d said {md_escape(who)}."
    rest = " ".join(p.strip() for p in parts[1:] if p.strip())
    return text + (f" \u201c{md_escape(rest)}\u201d" if rest else "")


class ReleaseBuilder:
    """Renders one letter's release."""

    def __init__(self, letter: Letter, press: Press) -> None:
        self.letter = letter
        self.press = press
        self.brief = letter.brief
        self.file = str(letter.brief.path)
        self.renderer: Renderer = renderer_for(letter.library)
        self.renderer.env.filters.setdefault("capfirst", lambda s: str(s)[:1].upper() + str(s)[1:])
        self.draft = Draft("", letter.draft.recipient, letter.draft.signatories)
        self.spoken: list[Spoken] = []

    def base(self) -> dict[str, Any]:
        """What every text of the release sees: the letter's context; fact() and
        quote() without a note unless cite=true (a release has no footnotes)."""
        base: dict[str, Any] = {"to": self.letter.draft.recipient, "date": self.press.date,
                                "brief": dict(self.brief.data)}
        base.update(self.brief.get("vars") or {})
        base.update(self.press.get("vars") or {})
        helpers = self.renderer._helpers(self.draft)  # noqa: SLF001 - the one helper set
        fact, quote = helpers["fact"], helpers["quote"]
        base["fact"] = lambda item_id, cite=False: fact(item_id, cite)
        base["quote"] = lambda item_id, cite=False: quote(item_id, cite)
        return base

    # ------------------------------------------------------------ paragraphs

    def paragraph(self, entry: Any, index: int, base: dict[str, Any]) -> str:
        line = entry.line_of(next(iter(entry))) if hasattr(entry, "line_of") else 0
        if "text" in entry:
            block = Block("text", entry["text"], {}, line)
            text = self.renderer.block_text(block, self.brief, base, self.draft)
            return "\n\n".join(" ".join(p.split("\n")) for p in re.split(r"\n\s*\n", text))
        library = self.letter.library
        items: list[Item] = []
        if "quote" in entry:
            ids = entry["quote"] if isinstance(entry["quote"], list) else [entry["quote"]]
            for quote_id in ids:
                item = library.get("quote", str(quote_id), file=self.file, line=line)
                self.draft.used.setdefault("quote", []).append(item.id)
                items.append(item)
            parts = [str(i.data.get("text") or "") for i in items]
            first = items[0].data
        else:
            parts = [str(entry["said"])] + ([str(entry["then"])] if entry.get("then") else [])
            first = {}
        fields = {k: str(entry.get(k) or first.get(k) or "").strip()
                  for k in ("speaker", "title", "organization", "attribution")}
        if not fields["speaker"]:
            where = f"quote {items[0].id!r}" if items else f"press.body item {index + 1}"
            raise LettersmithError(f"{where} has no speaker, and a release must say who said it",
                                   file=library.display(items[0].file) if items else self.file,
                                   line=items[0].line if items else line,
                                   hint="add speaker:, title: and organization:")
        self.spoken.append(Spoken(fields["speaker"], fields["title"] or fields["attribution"],
                                  line, items))
        who = attribution(fields["speaker"], fields["title"], fields["organization"],
                          fields["attribution"])
        return statement(parts, who)

    def contacts(self) -> list[str]:
        out = []
        for entry in self.press.get("contacts") or []:
            item = self.letter.library.items.get(str(entry))
            if item is not None and item.kind == "organization":
                name = item.data.get("short-name") or item.data["name"]
                out.append(f"{name}: {item.data.get('contact') or ''}".strip(": "))
            else:
                out.append(str(entry))
        return out

    def about(self) -> list[dict[str, str]]:
        out = []
        for index, org_id in enumerate(self.press.get("about") or []):
            entries = self.press.get("about")
            line = entries.line_of(index) if hasattr(entries, "line_of") else self.press.line("about")
            item = self.letter.library.get("organization", str(org_id), file=self.file, line=line)
            if not item.data.get("about"):
                raise LettersmithError(f"organization {item.id!r} has no about: text",
                                       file=self.letter.library.display(item.file),
                                       line=item.line, hint="add its boilerplate as about:")
            self.draft.used.setdefault("organization", []).append(item.id)
            out.append({"name": str(item.data["name"]), "text": md_escape(item.data["about"])})
        return out

    def ask(self) -> str:
        if self.press.get("ask"):
            return str(self.press.get("ask")).strip().rstrip(".")
        asks = [_ASK_END.sub("", re.sub(r"\s*\[[^\]]*@[^\]]*\]", "", str(a)).strip())
                for block in self.brief.body if block.kind == "asks" for a in block.value]
        if not asks:
            raise LettersmithError("the release's lead needs what the letter asks for",
                                   file=self.file, line=self.brief.line("press"),
                                   hint="add ask: under press:, or an asks: block to the letter")
        if len(asks) <= 2:
            return " and ".join(asks)
        return ", ".join(asks[:-1]) + ", and " + asks[-1]

    def recipient_names(self) -> tuple[str, str]:
        to = self.letter.draft.recipient
        name = re.sub(r"^The\b", "the", _HONORIFIC.sub("", str(to.get("name") or "")))
        long_form = " ".join(p for p in (to.get("title"), name) if p)
        if not to.get("title") and to.get("organization"):
            long_form += f" of {to['organization']}"
        long_form = str(self.press.get("to") or long_form)
        return long_form, str(to.get("short-name") or long_form)

    # ------------------------------------------------------------ the release

    def render(self) -> Release:
        press, brief = self.press, self.brief
        signers = press.signers
        counts = count_signers(self.letter.draft.signatories, signers, self.file,
                               press.line("signers"))
        texts = block_texts(self.letter.doc)
        quotes = press.get("letter-quotes") or []
        letter_quotes = [quote_from_letter(e, i, texts, self.file, quotes.line_of(i),
                                           plural=not counts.single)
                         for i, e in enumerate(press.letter_quotes)]
        base = self.base()
        body = [self.paragraph(e, i, base) for i, e in enumerate(press.items)]
        recipient, short = self.recipient_names()
        days = (brief.date - press.date).days
        context = dict(base)
        context.update({
            "release": press.get("release") or "FOR IMMEDIATE RELEASE", "date": press.date,
            "contacts": self.contacts(), "headline": press.get("headline"),
            "subhead": press.get("subhead") or "", "dateline": press.get("dateline") or "",
            "recipient": recipient, "recipient_short": short, "ask": md_escape(self.ask()),
            "sent": "today" if 0 <= days <= 1 else f"on {long_date(brief.date)}",
            "signers": counts, "letter_quotes": letter_quotes, "body": body,
            "about": self.about(), "letter_date": brief.date,
        })
        name = str(press.get("template") or "press-release")
        try:
            template = self.renderer.env.get_template(f"{name}.md.j2")
        except jinja2.TemplateNotFound:
            choices = self.renderer.template_names()
            raise LettersmithError(f"no template called {name!r}", file=self.file,
                                   line=press.line("template"),
                                   hint=suggest(name, choices) or "templates: " + ", ".join(choices)
                                   ) from None
        except jinja2.TemplateSyntaxError as err:
            raise LettersmithError(f"template error: {err.message}", file=err.filename,
                                   line=err.lineno) from None
        markdown = self.renderer._render(template, context, template.filename or name)  # noqa: SLF001
        self.draft.markdown = clean_text(markdown.strip() + "\n", self.file, 1)
        doc = document_from(self.draft, brief, self.letter.library)
        doc.meta.update({"title": str(press.get("headline")), "subject": "Press release",
                         "date": press.date.isoformat(), "keywords": ["press release"]})
        return Release(self.letter, press, self.draft, doc, counts, self.spoken)


def build_release(letter: Letter) -> Release | None:
    """The release the brief's ``press:`` asks for, or None when it has none."""
    press = read_press(letter.brief)
    if press is None:
        return None
    return ReleaseBuilder(letter, press).render()
