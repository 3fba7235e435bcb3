"""``review --apply brief|library``: what both share.  Nothing is written here:
the planners (:mod:`.to_brief`, :mod:`.to_library`) return a :class:`Plan` of
file changes that ``files.write_changes`` writes after showing the diffs."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString

from ..ingest.write import dump
from ..library import Library
from .compare import BlockChange
from .files import FileChange, fresh_path
from .markup import Citations, block_markdown, guard_jinja
from .model import RComment
from .patch import patch


@dataclass
class Plan:
    """The files an ``--apply`` changes, what to tell the user, and replaced snippet texts."""

    changes: list[FileChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the user should know
    replaced: list[tuple[str, Path, str]] = field(default_factory=list)  # (id, file, old text)


# ------------------------------------------------------------------ YAML


def dash_offset(text: str) -> int:
    """How far ``text`` indents a list's dashes under their key (ruamel's ``offset``)."""
    match = re.search(r"^(\s*)\S[^\n]*:\s*(?:#.*)?\n(?:\s*#.*\n)*(\s*)- ", text, re.M)
    return max(0, len(match.group(2)) - len(match.group(1))) if match else 2


def round_trip_yaml(text: str) -> YAML:
    """A ruamel round-trip YAML that writes lists indented the way ``text`` does."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    offset = dash_offset(text)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def yaml_text(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def flat(text: str) -> str:
    return " ".join(text.split())


def comment_lines(comments: list[RComment], source: str) -> list[str]:
    """Open comments as lines for a YAML comment (resolved ones are left out)."""
    lines = []
    for c in comments:
        if c.resolved:
            continue
        when = f" ({c.date[:10]})" if c.date else ""
        lines.append(f"review of {source}: {c.author or 'someone'}{when} on \u201c{flat(c.anchor)}\u201d: "
                     f"{flat(c.text)}")
        lines.extend(f"  reply by {r.author or 'someone'}: {flat(r.text)}" for r in c.replies)
    return lines


def eol_comments(item: Any) -> str:
    """The end-of-line comments written on a brief item (kept when it is replaced)."""
    found = []
    if isinstance(item, CommentedMap):
        for tokens in item.ca.items.values():
            for token in tokens or []:
                if token is not None and hasattr(token, "value") and token.value.strip().startswith("#"):
                    found.append(token.value.strip().lstrip("#").strip())
    return "; ".join(f for f in found if f)


def literal(text: str) -> LiteralScalarString:
    return LiteralScalarString(text.strip() + "\n")


def new_markdown(block: BlockChange, citations: Citations, template: str | None = None) -> str | None:
    """The block's Markdown after the review: the reviewer's words on the template's
    markup (``template`` defaults to what was rendered); None on a conflict."""
    new = "\n\n".join(block_markdown(citations, block.paras))
    rendered = block.record.source if block.record else ""
    if not rendered:
        return guard_jinja(new)
    if template is None:
        patched = patch(rendered, rendered, new)
        return guard_jinja(patched if patched is not None else new)
    return patch(template, rendered, new)


def draft_sources(plan: Plan, citations: Citations, library: Library, source: str) -> None:
    if not citations.new_sources:
        return
    path = fresh_path(library.root.resolve() / "snippets" / "sources" / f"review-{Path(source).stem}.yaml")
    header = (f"# Drafted by 'lettersmith review' from the notes of {source}: the sources the\n"
              "# reviewer cited that the library did not have. Check every field before sending.\n")
    plan.changes.append(FileChange(path, None, header + dump({"sources": citations.new_sources}),
                                   "sources the reviewer's notes cite"))
    plan.notes.append(f"{len(citations.new_sources)} new source(s) drafted for review in {path}: "
                      + ", ".join(s["id"] for s in citations.new_sources))
