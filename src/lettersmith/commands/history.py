"""``lettersmith history``: what has gone out, to whom, with which blocks."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from ..cli import user_errors


def shown_path(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


@click.command()
@click.option("--recipient", metavar="ID", help="Only letters to this recipient (id or part of the name).")
@click.option("--snippet", metavar="ID", help="Only letters that used this item (argument, source, quote, ...).")
@click.option("--merge", metavar="ID", help="Only the letters of this merge (its id is in merge.csv).")
@click.option("--library", "library_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Library folder (default: the current folder).")
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON.")
@click.option("--replaced", is_flag=True,
              help="With --snippet: print the snippet's earlier texts that review --apply replaced.")
@user_errors
def history(recipient: str | None, snippet: str | None, merge: str | None,
            library_dir: Path | None, as_json: bool, replaced: bool) -> None:
    """List the letters built from this library, newest letter first."""
    from ..history import db_path, query

    root = library_dir or Path.cwd()
    if replaced:
        _replaced(root, snippet)
        return
    found = query(root, recipient=recipient, snippet=snippet, merge=merge)
    if as_json:
        click.echo(json.dumps([asdict(s) for s in found], indent=2))
        return
    if not found:
        where = db_path(root)
        click.echo("no letters recorded" + (" matching that" if recipient or snippet or merge else "")
                   + ("" if where.exists() else f" ({where} does not exist yet: "
                      "'lettersmith build' records each letter there)"))
        return
    for sent in found:
        to = sent.recipient + (f" [{sent.recipient_id}]" if sent.recipient_id else "")
        click.echo(f"{sent.letter_date}  to {to or '(no recipient)'}"
                   + (f"  \u2014 {sent.subject}" if sent.subject else ""))
        click.echo(f"    brief: {shown_path(sent.brief)}   built {sent.built_at.replace('T', ' ')}"
                   + (f"   merge {sent.merge_id}" if sent.merge_id else ""))
        click.echo("    files: " + ", ".join(shown_path(p) for p in sent.outputs))
        if snippet:
            for kind, items in sent.items.items():
                for item_id, digest in items:
                    if item_id == snippet:
                        click.echo(f"    used {kind} {item_id} (text {digest})")
        else:
            args = [i for i, _ in sent.items.get("argument", [])]
            if args:
                click.echo("    arguments: " + ", ".join(args))
            click.echo(f"    sources: {len(sent.items.get('source', []))}, "
                       f"quotes: {len(sent.items.get('quote', []))}, "
                       f"facts: {len(sent.items.get('fact', []))}")
    click.echo(f"{len(found)} letter(s)", err=True)


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
