"""``lettersmith history`` (what went out, or with --drafts every build),
``lettersmith history remove N`` and ``lettersmith sent FILE`` (mark a build sent)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from ..cli import user_errors

_LIBRARY = click.option("--library", "library_dir", type=click.Path(file_okay=False, path_type=Path),
                        help="Library folder (default: the current folder).")


def shown_path(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


@click.group(invoke_without_command=True)
@click.option("--drafts", is_flag=True, help="List every build (drafts), not only letters sent.")
@click.option("--recipient", metavar="ID", help="Only letters to this recipient (id or part of the name).")
@click.option("--snippet", metavar="ID", help="Only letters that used this item (argument, source, quote, ...).")
@click.option("--merge", metavar="ID", help="Only the letters of this merge (its id is in merge.csv).")
@_LIBRARY
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON.")
@click.option("--replaced", is_flag=True,
              help="With --snippet: print the snippet's earlier texts that review --apply replaced.")
@click.pass_context
@user_errors
def history(ctx: click.Context, drafts: bool, recipient: str | None, snippet: str | None,
            merge: str | None, library_dir: Path | None, as_json: bool, replaced: bool) -> None:
    """List the letters marked sent ('lettersmith sent FILE'), newest first; with
    --drafts, every build.  The #N before each is what 'history remove N' takes."""
    if ctx.invoked_subcommand:
        return
    from ..history import db_path, query
    from ..sent import sent_build_ids, sent_letters

    root = library_dir or Path.cwd()
    if replaced:
        _replaced(root, snippet)
        return
    if drafts:
        found = query(root, recipient=recipient, snippet=snippet, merge=merge)
        done = sent_build_ids(root)
        records: list[Any] = found
        rows = [(f"#{b.id}", b, "built" + (" (sent)" if b.id in done else ""), b.recipient,
                 b.recipient_id, b.letter_date) for b in found]
    else:
        records = sent_letters(root, recipient=recipient, snippet=snippet, merge=merge)
        rows = [(f"#{s.n}", s.build, "sent", s.recipient, s.recipient_id, s.sent_on)
                for s in records]
    if as_json:
        click.echo(json.dumps([asdict(r) for r in records], indent=2))
        return
    if not rows:
        _say_none(root, drafts, bool(recipient or snippet or merge), db_path(root).exists())
        return
    for number, build, verb, name, rid, day in rows:
        to = name + (f" [{rid}]" if rid else "")
        click.echo(f"{number}  {day}  {verb} to {to or '(no recipient)'}"
                   + (f"  \u2014 {build.subject}" if build.subject else ""))
        _details(build, snippet)
    click.echo(f"{len(rows)} {'build' if drafts else 'letter'}(s)", err=True)


def _say_none(root: Path, drafts: bool, filtered: bool, exists: bool) -> None:
    from ..history import db_path, query
    if not exists:
        click.echo(f"no letters recorded ({db_path(root)} does not exist yet: "
                   "'lettersmith build' records each letter there)")
        return
    what = "no builds recorded" if drafts else "no letters marked sent"
    click.echo(what + (" matching that" if filtered else ""))
    if not drafts:
        count = len(query(root))
        click.echo(f"({count} build(s) recorded: 'lettersmith history --drafts' lists them, "
                   "'lettersmith sent FILE' marks the one that went out)")


def _details(build: Any, snippet: str | None) -> None:
    click.echo(f"    brief: {shown_path(build.brief)}   dated {build.letter_date}   "
               f"built {build.built_at.replace('T', ' ')}"
               + (f"   merge {build.merge_id}" if build.merge_id else ""))
    click.echo("    files: " + ", ".join(shown_path(p) for p in build.outputs))
    if snippet:
        for kind, items in build.items.items():
            for item_id, digest in items:
                if item_id == snippet:
                    click.echo(f"    used {kind} {item_id} (text {digest})")
        return
    args = [i for i, _ in build.items.get("argument", [])]
    if args:
        click.echo("    arguments: " + ", ".join(args))
    click.echo(f"    sources: {len(build.items.get('source', []))}, "
               f"quotes: {len(build.items.get('quote', []))}, "
               f"facts: {len(build.items.get('fact', []))}")


def _replaced(root: Path, snippet: str | None) -> None:
    """Every earlier text of a snippet that ``review --apply library`` replaced, newest first."""
    if not snippet:
        raise click.UsageError("--replaced goes with --snippet ID")
    from ..history import replaced_texts
    rows = replaced_texts(root, snippet)
    if not rows:
        click.echo(f"no earlier text of {snippet} is recorded")
    for at, why, text in rows:
        click.echo(f"--- {snippet} as it was before {at.replace('T', ' ')} ({why}):")
        click.echo(text, nl=not text.endswith("\n"))


@history.command("remove")
@click.argument("number", type=int)
@click.option("--draft", is_flag=True, help="Remove build #N (from 'history --drafts') instead.")
@_LIBRARY
@user_errors
def remove(number: int, draft: bool, library_dir: Path | None) -> None:
    """Remove entry #N from the history (a sent letter; with --draft, a build)."""
    from ..sent import remove as remove_entry
    parent = click.get_current_context().parent  # 'history --library DIR remove N' too
    root = library_dir or (parent.params.get("library_dir") if parent else None) or Path.cwd()
    click.echo(remove_entry(root, number, draft=draft))


@click.command()
@click.argument("letter", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--merge", metavar="ID", help="Mark every letter of this merge sent, each to its row.")
@click.option("--to", "to", metavar="ID|NAME",
              help="Whom it went to: a recipient id or a name (default: the letter's recipient).")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The day it went out (default: today).")
@_LIBRARY
@user_errors
def sent(letter: Path | None, merge: str | None, to: str | None, on: dt.datetime | None,
         library_dir: Path | None) -> None:
    """Mark LETTER (a file 'build' wrote, or its brief) as sent: its latest build
    is what went out.  'lettersmith history' lists the letters sent."""
    from ..library import load_library
    from ..sent import mark_merge_sent, mark_sent

    day = on.date() if on else dt.date.today()
    if (letter is None) == (merge is None):
        raise click.UsageError("give a LETTER (or its brief), or --merge ID")
    if merge is not None:
        count = mark_merge_sent(library_dir or Path.cwd(), merge, on=day)
        click.echo(f"{count} letter(s) of merge {merge} marked sent on {day.isoformat()}")
        return
    assert letter is not None
    root = library_dir or _brief_library(letter) or Path.cwd()
    mailed = mark_sent(root, letter, to=to, on=day, library=load_library(root))
    to_text = mailed.recipient + (f" [{mailed.recipient_id}]" if mailed.recipient_id else "")
    click.echo(f"#{mailed.n}  {mailed.sent_on}  sent to {to_text}: "
               f"{shown_path(mailed.build.brief)} (built {mailed.build.built_at.replace('T', ' ')})")


def _brief_library(path: Path) -> Path | None:
    """The library a brief names with library:, when LETTER is a brief."""
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        return None
    from ..brief import read_brief
    return read_brief(path).library_root
