"""Rendering a brief to Markdown with Jinja2's sandbox: body blocks first, then
the letter template around them.  Every template error names its file and line."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .brief import Block, Brief
from .errors import LetterWarning, LettersmithError, suggest
from .jinja_cache import bytecode_cache, compile_code
from .library import FIELDS, ID_RE, Item, Library
from .sandbox import LimitedSandbox, SafeFileLoader, watchdog
from .signers import Signatories, resolve_signatories
from .style import MONTHS
from .textcheck import (clean_text, find_citations, known_citations, no_layout_fence,
                        refuse_heading_notes, remember_citations)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def md_escape(text: Any) -> str:
    """Plain text made safe to drop into Markdown (names, titles, quotations)."""
    text = _MD_SPECIAL.sub(r"\\\1", str(text))
    text = re.sub(r"^(\s*):", r"\1\\:", text, flags=re.M)  # never a ::: layout fence
    return re.sub(r"^(\s*)([-+#>]|\d+[.)])(\s)", r"\1\\\2\3", text, flags=re.M)


def long_date(value: Any) -> str:
    """2023-02-21 (a date, or text written so, as in a spreadsheet cell) -> February 21, 2023."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        value = dt.date.fromisoformat(value.strip())
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}" if hasattr(value, "month") else str(value)


def shipped_templates() -> Path:
    """The templates that ship with lettersmith (installed copy, else the repository's)."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parents[1] / "templates"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]


@dataclass
class Draft:
    """A brief rendered to Markdown, with what it used."""

    markdown: str
    recipient: dict[str, Any]
    signatories: Signatories | None
    snippets: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> attrs
    blocks: list[dict[str, Any]] = field(default_factory=list)  # one per body item, in order
    used: dict[str, list[str]] = field(default_factory=dict)  # kind -> ids, in order
    warnings: list[LetterWarning] = field(default_factory=list)


class Renderer:
    """Renders the briefs of one library (the environment is built once)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        loaders = [SafeFileLoader(library.templates_dir), SafeFileLoader(shipped_templates())]
        self.env = LimitedSandbox(
            loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
            autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
            bytecode_cache=bytecode_cache())
        self.env.filters["md"] = md_escape
        self.env.filters["longdate"] = long_date
        self._compiled: dict[tuple[str, str], jinja2.Template] = {}

    # ---------------------------------------------------------------- pieces

    def _compile(self, source: str, filename: str) -> jinja2.Template:
        """The template for ``source``, compiled once per library (a merge renders the
        same bodies for every letter)."""
        key = (source, filename)
        template = self._compiled.get(key)
        if template is None:
            if len(self._compiled) >= 1024:  # bounded: memory stays flat
                self._compiled.clear()
            template = self._compiled[key] = self._compile_new(source, filename)
        return template

    def _compile_new(self, source: str, filename: str) -> jinja2.Template:
        try:
            with watchdog():
                code = compile_code(self.env, source, filename)
        except (RecursionError, MemoryError, SyntaxError):
            raise LettersmithError("template error: the template is nested too deeply",
                                   file=filename, hint="close the {{, {%, ( and [ you opened; "
                                   "a template needs only a few levels") from None
        except jinja2.TemplateSyntaxError as err:
            raise LettersmithError(f"template error: {err.message}", file=filename,
                                   line=err.lineno,
                                   hint="check that every {{ }} and {% %} is closed and "
                                        "every {% if %}/{% for %} has its end tag") from None
        return self.env.template_class.from_code(self.env, code, self.env.make_globals(None))

    def _render(self, template: jinja2.Template, context: dict[str, Any], filename: str,
                available: list[str] | None = None) -> str:
        try:
            with watchdog():
                return template.render(context)
        except RecursionError:
            raise LettersmithError("template error: a macro or include calls itself without end",
                                   file=filename, line=_template_line(filename),
                                   hint="give the recursion a stopping condition") from None
        except LettersmithError as err:
            if err.file is None:
                err.file, err.line = filename, _template_line(filename)
            raise
        except jinja2.UndefinedError as err:
            name = re.search(r"'([^']+)' is undefined", str(err))
            missing = name.group(1) if name else str(err)
            hint = "set it under vars: in the brief or the body item, or give the snippet a default in its front matter vars:"
            close = suggest(missing, available or context)
            raise LettersmithError(f"the variable {missing!r} is not set", file=filename,
                                   line=_template_line(filename),
                                   hint=(close + " " if close else "") + hint) from None
        except jinja2.TemplateSyntaxError as err:
            raise LettersmithError(f"template error: {err.message}", file=err.filename or filename,
                                   line=err.lineno) from None
        except jinja2.TemplateError as err:  # SecurityError and the like
            raise LettersmithError(f"template error: {err}", file=filename,
                                   line=_template_line(filename)) from None
        except (TypeError, ValueError, AttributeError, KeyError, IndexError,
                ZeroDivisionError, OverflowError) as err:
            raise LettersmithError(f"template error: {err}", file=filename,
                                   line=_template_line(filename)) from None

    def _helpers(self, draft: Draft) -> dict[str, Any]:
        library = self.library

        def use(kind: str, item_id: str) -> Item:
            item = library.get(kind, str(item_id))
            draft.used.setdefault(kind, []).append(item.id)
            return item

        def cite_of(item: Item) -> str:
            source = item.data.get("source")
            if not source:
                return ""
            use("source", str(source))
            locator = item.data.get("locator")
            return f"[@{source}, at {locator}]" if locator else f"[@{source}]"

        def quote(item_id: str, cite: bool = True) -> str:
            item = use("quote", item_id)
            text = md_escape(str(item.data["text"]).strip())
            return f"\u201c{text}\u201d" + (cite_of(item) if cite else "")

        def fact(item_id: str, cite: bool = True) -> str:
            item = use("fact", item_id)
            return md_escape(str(item.data["text"]).strip()) + (cite_of(item) if cite else "")

        return {"quote": quote, "fact": fact}

    # ---------------------------------------------------------------- blocks

    def _check_cites(self, markdown: str, filename: str, first_line: int, draft: Draft) -> None:
        """Every @id in a block must be a source: name the block's own file and line.

        A text checked before (a merge renders the same blocks for every letter)
        reuses its citations' lines and ids and needs no heading check again."""
        known = known_citations(markdown)
        cited = known if known is not None else find_citations(markdown)
        for offset, ids in cited:
            for source_id in ids:
                source = self.library.get("source", source_id, file=filename,
                                          line=first_line + offset)
                draft.used.setdefault("source", []).append(source.id)
        if known is None:
            refuse_heading_notes(markdown, filename, first_line)
            remember_citations(markdown, cited)

    def render_block(self, block: Block, brief: Brief, base: dict[str, Any], draft: Draft,
                     n: int = 0) -> str:
        """One body entry of the brief (index ``n`` in ``body:``) as Markdown, in a
        ``::: snippet`` (arguments) or ``::: block`` part that names the entry; what
        was rendered is kept in ``draft.blocks`` for the build record."""
        text, item_id, title = self._block_text(block, brief, base, draft)
        digest = text_hash(text)
        if block.kind == "argument":
            digest = draft.snippets[item_id]["hash"]
        draft.blocks.append({"kind": block.kind, "item": n, "id": item_id, "hash": digest,
                             "title": title, "source": text})
        part = "snippet" if block.kind == "argument" else "block"
        ident = f" id={item_id}" if item_id else f" from={block.origin}" if block.origin else ""
        return f"::: {part} n={n} kind={block.kind}{ident}\n{text}\n:::"

    def block_text(self, block: Block, brief: Brief, base: dict[str, Any], draft: Draft) -> str:
        """One body entry as bare Markdown, outside the letter's body (no ``:::`` part, no
        build-record entry): what a press release's text paragraph needs."""
        return self._block_text(block, brief, base, draft)[0]

    def _block_text(self, block: Block, brief: Brief, base: dict[str, Any], draft: Draft
                    ) -> tuple[str, str | None, str]:
        """(Markdown, the library item's id or None, its title) of one body entry."""
        brief_file = str(brief.path)
        context = dict(base)
        if block.kind == "argument":
            item = self.library.get("argument", str(block.value), file=brief_file, line=block.line)
            draft.used.setdefault("argument", []).append(item.id)
            defaults = item.data.get("vars") or {}
            context.update(defaults)
            context.update(brief.get("vars") or {})
            context.update(block.vars)
            shown = self.library.display(item.file)
            source = "\n" * (item.body_line - 1) + item.body
            text = self._render(self._compile(source, shown), context, shown,
                                available=list(context)).strip()
            text = no_layout_fence(clean_text(text, shown, item.body_line), shown, item.body_line)
            self._check_cites(text, shown, item.body_line, draft)
            attrs = {"id": item.id, "hash": text_hash(text), "title": item.title,
                     "origin": str(item.data.get("origin") or ""),
                     "tags": ",".join(item.tags)}
            draft.snippets[item.id] = attrs
            return text, item.id, item.title
        context.update(block.vars)
        if block.kind == "text":
            offset = block.line if "\n" in str(block.value) else block.line - 1
            return self._inline_template(str(block.value), brief_file, offset, context,
                                         draft), None, ""
        if block.kind == "heading":
            text = self._inline_template(str(block.value), brief_file, block.line - 1, context, draft)
            heading = "#" * max(1, min(block.level, 6)) + " " + text.replace("\n", " ")
            refuse_heading_notes(heading, brief_file, block.line)
            return heading, None, ""
        if block.kind == "quote":
            item = self.library.get("quote", str(block.value), file=brief_file, line=block.line)
            helpers = self._helpers(draft)
            return "> " + helpers["quote"](item.id), item.id, item.title
        lines = [self._inline_template(str(ask), brief_file, block.line - 1, context, draft)
                 .replace("\n", " ") for ask in block.value]
        intro = (block.intro + "\n\n") if block.intro else ""
        return intro + "\n".join(f"{n}. {ask}" for n, ask in enumerate(lines, 1)), None, ""

    def _inline_template(self, text: str, filename: str, offset: int, context: dict[str, Any],
                         draft: Draft) -> str:
        if "{" not in text:
            rendered = text.strip()
        else:
            rendered = self._render(self._compile("\n" * offset + text, filename), context,
                                    filename).strip()
        rendered = no_layout_fence(clean_text(rendered, filename, offset + 1), filename, offset + 1)
        self._check_cites(rendered, filename, offset + 1, draft)
        return rendered

    # ---------------------------------------------------------------- letter

    def render(self, brief: Brief) -> Draft:
        """The whole letter as Markdown, every template of it under one watchdog (arming
        one per template, a dozen a letter, was a twentieth of a merged letter's CPU)."""
        with watchdog():
            return self._render_letter(brief)

    def _render_letter(self, brief: Brief) -> Draft:
        recipient = self._recipient(brief)
        signatories = resolve_signatories(brief, self.library)
        draft = Draft("", recipient, signatories)
        if signatories:
            draft.warnings.extend(signatories.warnings)
        base: dict[str, Any] = {"to": recipient, "date": brief.date, "brief": dict(brief.data)}
        base.update(brief.get("vars") or {})
        base.update(self._helpers(draft))
        blocks = [self.render_block(block, brief, base, draft, n)
                  for n, block in enumerate(brief.body)]
        template = self.template_for(brief)
        name = str(brief.get("template") or "letter")
        cc = self.cc_lines(brief)
        salutation = brief.get("salutation") or recipient.get("salutation") or \
            (f"Dear {recipient['name']}:" if recipient.get("name") else "")
        context = dict(base)
        context.update({
            "body": "\n\n".join(blocks), "via": brief.get("via"), "subject": brief.get("subject"),
            "closing": brief.get("closing"), "signoff": brief.get("signoff", "Sincerely,"),
            "signatories": signatories, "contact": brief.get("contact"), "cc": cc,
            "salutation": salutation, "vars": brief.get("vars") or {},
        })
        markdown = self._render(template, context, template.filename or name).strip() + "\n"
        draft.markdown = clean_text(markdown, str(brief.path), 1)
        return draft

    def template_for(self, brief: Brief) -> jinja2.Template:
        """The letter template the brief names (default ``letter``)."""
        name = str(brief.get("template") or "letter")
        try:
            with watchdog():
                return self.env.get_template(f"{name}.md.j2")
        except (RecursionError, MemoryError, SyntaxError):
            raise LettersmithError("template error: the template is nested too deeply",
                                   file=brief.path, line=brief.line("template"),
                                   hint=f"check the template {name}.md.j2: close every "
                                        "{{, {%, ( and [ it opens") from None
        except jinja2.TemplateNotFound:
            choices = self.template_names()
            raise LettersmithError(f"no template called {name!r}", file=brief.path,
                                   line=brief.line("template"),
                                   hint=suggest(name, choices) or "templates: " + ", ".join(choices)) from None
        except jinja2.TemplateSyntaxError as err:
            raise LettersmithError(f"template error: {err.message}", file=err.filename,
                                   line=err.lineno) from None

    def template_names(self) -> list[str]:
        names = set()
        for folder in (self.library.templates_dir, shipped_templates()):
            if folder.is_dir():
                names.update(p.name[:-6] for p in folder.glob("*.md.j2"))
        return sorted(names)

    def _recipient(self, brief: Brief) -> dict[str, Any]:
        value = brief.get("to")
        if value is None:  # an open letter: no address block
            return {"name": "", "title": "", "organization": "", "address": [], "salutation": ""}
        if isinstance(value, str):
            item = self.library.get("recipient", value, file=brief.path, line=brief.line("to"))
            data = dict(item.data)
        else:
            allowed = FIELDS["recipient"] or set()
            for key in value:
                if key not in allowed:
                    raise LettersmithError(f"unknown key {key!r} in to:", file=brief.path,
                                           line=value.line_of(key),
                                           hint=suggest(str(key), allowed)
                                           or "allowed: " + ", ".join(sorted(allowed)))
            data = dict(value)
        data["address"] = join_split_lines(_as_list(data.get("address")), _STATE_ZIP)
        data.setdefault("title", "")
        data.setdefault("organization", "")
        return data

    def cc_lines(self, brief: Brief) -> list[str]:
        """The cc: entries as lines; a recipient id becomes "name, title".  An entry
        that looks like an id (lowercase, digits, hyphens, no spaces) must be one."""
        value = brief.get("cc")
        entries = _as_list(value)
        lines = [value.line_of(i) if hasattr(value, "line_of") else brief.line("cc")
                 for i in range(len(entries))]
        for entry, line in zip(entries, lines):
            if isinstance(entry, str) and ID_RE.match(entry) and "-" in entry:
                self.library.get("recipient", entry, file=brief.path, line=line)
        return [self._cc_line(e, brief) for e in join_split_lines(entries, _TITLE_WORD)]

    def _cc_line(self, entry: Any, brief: Brief) -> str:
        if isinstance(entry, (dict, list)) or entry is None:
            raise LettersmithError("each cc entry should be a name (one line of text) or a "
                                   "recipient id", file=brief.path, line=brief.line("cc"),
                                   hint="write '- Jane Doe, Director'")
        item = self.library.items.get(str(entry))
        if item is not None and item.kind == "recipient":
            item = self.library.get("recipient", item.id, file=brief.path, line=brief.line("cc"))
            title = item.data.get("title")
            return f"{item.data['name']}, {title}" if title else str(item.data["name"])
        return str(entry)


_STATE_ZIP = re.compile(r"^[A-Z]{2}\s+\d{5}(?:-\d{4})?$")
_TITLE_WORD = re.compile(r"^(?:Acting|Director|Deputy|Secretary|Officer|Assistant|Associate|"
                         r"Commissioner|Chief|Senior|Special|General|Counsel|Administrator|"
                         r"Member|Senator|Representative|Sheriff|Attorney|Executive|Policy)\b")


def join_split_lines(entries: list[Any], continues: re.Pattern[str]) -> list[Any]:
    """Re-join entries a YAML flow list split at a comma.

    ``[Washington, DC 20528]`` is two YAML items; a "DC 20528" (or, in cc, an
    "Acting Director ...") item continues the line before it.
    """
    out: list[Any] = []
    for entry in entries:
        if out and isinstance(entry, str) and isinstance(out[-1], str) and continues.match(entry):
            out[-1] = f"{out[-1]}, {entry}"
        else:
            out.append(entry)
    return out


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _template_line(filename: str) -> int | None:
    """The template line where the exception being handled was raised."""
    tb = sys.exc_info()[2]
    line = None
    for frame in traceback.extract_tb(tb):
        if frame.filename == filename:
            line = frame.lineno
    return line
