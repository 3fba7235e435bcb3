"""``lettersmith ingest``: past letters (.docx, .pdf, .md, .txt) into draft library files."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..cli import user_errors

if TYPE_CHECKING:
    from ..ingest.make import Made


@click.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--into", "into", type=click.Path(file_okay=False, path_type=Path),
              default=Path("snippets/ingested"), show_default=True,
              help="Folder to write the draft files into (one new sub-folder per letter).")
@click.option("--library", "library_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Library whose sources, recipients and signers are matched (default: the current folder).")
@click.option("--briefs", "brief_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write a draft brief per letter into this folder that rebuilds it.")
@click.option("--dry-run", is_flag=True, help="Report what would be made; write nothing.")
@user_errors
def ingest(files: tuple[Path, ...], into: Path, library_dir: Path | None,
           brief_dir: Path | None, dry_run: bool) -> None:
    """Read past letters and draft library items from them: an argument per body
    paragraph, sources from the notes (matched to the library's by URL or title),
    attributed quotations, the recipient and the sign-on list.  Never overwrites a
    file or reuses an id."""
    from ..library import load_library
    from ..ingest.make import Ingester
    from ..ingest.write import write_made

    from ..ingest.write import write_brief

    root = library_dir or Path.cwd()
    library = load_library(root)
    ingester = Ingester(library)
    if brief_dir and not into.resolve().is_relative_to((root / "snippets").resolve()):
        click.echo(f"warning: {into} is not inside {root / 'snippets'}, so the draft briefs "
                   "will not find the drafted items", err=True)
    for path in files:
        made = ingester.ingest(path)
        report(made)
        if dry_run:
            continue
        for written in write_made(made, into):
            click.echo(f"  wrote {library.display(written)}")
        if brief_dir and made.recipient_id:
            click.echo(f"  wrote {library.display(write_brief(made, root, brief_dir))}")
        elif brief_dir:
            click.echo("  no brief: no recipient was recognized (not a letter?)")


def report(made: Made) -> None:
    """What one letter gave, and what could not be placed."""
    parsed, raw = made.parsed, made.raw
    click.echo(f"{made.path}:")
    head = []
    if parsed.date:
        head.append(parsed.date.isoformat())
    if parsed.recipient:
        head.append(f"to {parsed.recipient['name']} [{made.recipient_id}]")
    if parsed.subject:
        head.append(f"re: {parsed.subject}")
    click.echo("  letter: " + (", ".join(head) or "no date, recipient or subject recognized"))
    cited = sum(len(v) for v in made.note_sources.values())
    click.echo(f"  notes: {len(raw.notes)} ({raw.numbering}), {cited} citations")
    if not raw.notes:
        click.echo(f"warning: {made.path}: no notes found, so no sources were drafted from "
                   "notes (a letter's marks are lost in text copied out of a PDF: ingest the "
                   ".pdf or .docx itself)", err=True)
    click.echo(f"  sources: {len(made.sources)} new, {len(made.matched)} already in the library")
    click.echo(f"  arguments: {len(made.arguments)}, quotes: {len(made.quotes)}"
               + (f" ({len(made.matched_quotes)} more already in the library)"
                  if made.matched_quotes else ""))
    if made.reused:
        edited = [k.id for k in made.reused if k.edited]
        by_text = sum(1 for k in made.reused if k.by == "text")
        click.echo(f"  already in the library (not drafted again): {len(made.reused)} arguments"
                   + (f" ({by_text} recognized by their text)" if by_text else "")
                   + (f"; edited by a reviewer: {', '.join(edited)} (see lettersmith review "
                      f"{made.path.name})" if edited else ""))
    if raw.tracked:
        counts = ", ".join(f"{n} {kind}" for kind, n in raw.tracked.items())
        click.echo(f"  tracked changes taken as accepted: {counts}")
    signers = sum(len(s["signers"]) for s in made.signatories)
    if signers:
        click.echo(f"  signatories: {signers} signers")
    if made.unplaced:
        click.echo("  could not place:")
        for text in made.unplaced:
            click.echo("    - " + (text if len(text) <= 160 else text[:157] + "..."))
