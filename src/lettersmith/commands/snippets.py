"""``lettersmith snippets list|show|search``: find the blocks a new letter needs."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any, Iterable

import click
import yaml

from ..cli import user_errors
from ..errors import LettersmithError, suggest
from ..library import KINDS, Item, Library

_SKIP_DIRS = {"snippets", "templates", "out", "node_modules", "__pycache__"}
library_option = click.option(
    "--library", "library_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Library folder (default: the current folder).")


def _library(library_dir: Path | None) -> Library:
    from ..library import load_library
    root = library_dir or Path.cwd()
    library = load_library(root)
    if not library.items and not (root / "snippets").is_dir():
        raise LettersmithError(f"{root} has no snippets/ folder, so it is not a library",
                               hint="run this in a library folder or give --library DIR")
    if library.broken:
        click.echo(f"note: {len(library.broken)} library file(s) could not be read and are "
                   "left out; 'lettersmith check --library' says why", err=True)
    return library


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:max(width - 1, 1)] + "\u2026"


def table(rows: list[list[str]], header: list[str], flexible: int) -> str:
    """Columns padded to fit; column ``flexible`` gets what is left of the terminal."""
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    total = shutil.get_terminal_size((120, 20)).columns if sys.stdout.isatty() else 10_000
    fixed = sum(w for i, w in enumerate(widths) if i != flexible) + 2 * (len(header) - 1)
    widths[flexible] = max(20, min(widths[flexible], total - fixed))
    lines = []
    for row in [header] + rows:
        cells = [_clip(c, widths[i]).ljust(widths[i]) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _summary(item: Item) -> str:
    if item.kind == "signatories":
        return f"{item.title or item.id} ({len(item.data.get('signers') or [])} signers)"
    if item.kind == "source":
        from .. import style
        author = style.author_text(item.data)
        return (author + ", " if author else "") + item.title
    return item.title


@click.group()
def snippets() -> None:
    """List, show and search the library's items."""


@snippets.command("list")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="Only items of this kind (repeat for several).")
@click.option("--tag", "tags", multiple=True, help="Only items with this tag (repeat: all of them).")
@library_option
@user_errors
def list_items(kinds: tuple[str, ...], tags: tuple[str, ...], library_dir: Path | None) -> None:
    """A table of the library's items: id, kind, title or text, tags, origin."""
    library = _library(library_dir)
    rows = [[item.id, item.kind, _summary(item), ",".join(item.tags),
             str(item.data.get("origin") or "")]
            for item in sorted(library.items.values(), key=lambda i: (KINDS.index(i.kind), i.id))
            if (not kinds or item.kind in kinds) and all(t in item.tags for t in tags)]
    if not rows:
        click.echo("no items match", err=True)
        return
    click.echo(table(rows, ["ID", "KIND", "TITLE / TEXT", "TAGS", "ORIGIN"], 2))
    click.echo(f"{len(rows)} item(s)", err=True)


@snippets.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only items of this kind.")
@click.option("-n", "--limit", default=15, show_default=True, help="How many results.")
@library_option
@user_errors
def search_items(words: tuple[str, ...], kinds: tuple[str, ...], limit: int,
                 library_dir: Path | None) -> None:
    """Items ranked by how well their id, title, tags and text match WORDS."""
    from ..search import search
    hits = search(_library(library_dir), " ".join(words), kinds)[:limit]
    if not hits:
        click.echo("nothing matches " + " ".join(words), err=True)
        return
    click.echo(table([[f"{h.score:.2f}", h.item.id, h.item.kind, _summary(h.item)] for h in hits],
                     ["SCORE", "ID", "KIND", "TITLE / TEXT"], 3))


@snippets.command("show")
@click.argument("item_id")
@library_option
@click.option("--vars", "var_pairs", multiple=True, metavar="NAME=VALUE",
              help="Render with this variable set (repeatable).")
@user_errors
def show(item_id: str, library_dir: Path | None, var_pairs: tuple[str, ...]) -> None:
    """One item: its fields, its text rendered with notes, the sources it cites,
    the briefs under the current folder that use it, and where it went out."""
    from ..preview import preview_item, preview_markdown
    library = _library(library_dir)
    item = library.items.get(item_id)
    if item is None:
        raise LettersmithError(f"no item with id {item_id!r} in {library.display(library.root)}",
                               hint=suggest(item_id, library.items)
                               or "run 'lettersmith snippets search WORDS' to find one")
    click.secho(f"{item.id}  ({item.kind}, {library.display(item.file)}:{item.line})", bold=True)
    fields = {k: v for k, v in item.data.items() if k != "id"}
    if fields:
        click.echo(yaml.safe_dump(_plain(fields), sort_keys=False, allow_unicode=True,
                                  default_flow_style=None, width=100).rstrip())
    for problem in library.problems():
        if problem.file == library.display(item.file) and problem.line and item.id in str(problem):
            click.echo(f"problem: {problem}")
    if item.kind in ("argument", "quote", "fact", "source"):
        try:
            preview = preview_item(library, item, vars=_vars(var_pairs))
        except LettersmithError as err:
            click.echo(f"\ncannot be rendered: {err}")
        else:
            text = preview_markdown(preview).rstrip()
            if item.kind == "source":  # just the note: its full citation
                text = text.split("[^1]: ", 1)[-1]
            click.secho("\nRendered:", bold=True)
            click.echo(text)
            if preview.missing_vars:
                click.echo("(unset: " + ", ".join(preview.missing_vars)
                           + "; a brief using it sets them under vars:)")
            cited = list(dict.fromkeys(s for n in preview.doc.notes for s in n.sources))
            if cited and item.kind != "source":
                click.secho("\nSources cited:", bold=True)
                for source_id in cited:
                    click.echo(f"  {source_id}  {_clip(_summary(library.items[source_id]), 90)}")
    _show_briefs(item, library)
    _show_history(item, library)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def _vars(pairs: Iterable[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--vars")
        out[name.strip()] = value
    return out


def brief_files(folder: Path) -> list[Path]:
    """YAML files under ``folder`` that look like briefs (have a top-level ``body:``)."""
    found = []
    for path in sorted(folder.rglob("*.y*ml")):
        rel = path.relative_to(folder).parts
        if any(p.startswith(".") or p in _SKIP_DIRS for p in rel[:-1]) or not path.is_file():
            continue  # (a FIFO named *.yaml is never opened)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "\nbody:" in "\n" + text:
            found.append(path)
    return found


def briefs_using(item: Item, library: Library, folder: Path) -> list[tuple[Path, str]]:
    """(brief, how) for each brief under ``folder`` whose letter uses ``item``."""
    from ..build import build_letter
    out = []
    for path in brief_files(folder):
        try:
            letter = build_letter(path, library.root)
        except LettersmithError:
            if item.id in path.read_text(encoding="utf-8"):
                out.append((path, "mentions it, but does not build"))
            continue
        kinds = [k for k, ids in letter.draft.used.items() if item.id in ids]
        if item.id in (letter.brief.get("to"), letter.brief.get("signatories")):
            kinds.append(item.kind)
        cc = letter.brief.get("cc")
        if item.kind == "recipient" and item.id in (cc if isinstance(cc, list) else [cc]):
            kinds.append("cc")
        if kinds:
            out.append((path, "in cc:" if kinds == ["cc"] else ""))
    return out


def _show_briefs(item: Item, library: Library) -> None:
    used = briefs_using(item, library, Path.cwd())
    click.secho("\nBriefs under this folder that use it:", bold=True)
    if not used:
        click.echo("  none")
    for path, how in used:
        click.echo(f"  {library.display(path)}" + (f" ({how})" if how else ""))


def _show_history(item: Item, library: Library) -> None:
    from ..history import query
    from ..sent import sent_letters
    from .history import shown_path
    sent = sent_letters(library.root, snippet=item.id)
    drafts = query(library.root, snippet=item.id)
    click.secho("\nSent:", bold=True)
    if not sent:
        click.echo("  not in any letter marked sent" + (
            f" ({len(drafts)} draft build(s) use it: 'lettersmith history --drafts "
            f"--snippet {item.id}')" if drafts else ""))
    for s in sent:
        build = s.build
        digest = next((d for i, d in (x for v in build.items.values() for x in v)
                       if i == item.id), "")
        click.echo(f"  {s.sent_on}  to {s.recipient or '?'}  {shown_path(build.brief)}"
                   + (f"  (text {digest})" if digest else ""))
