"""``lettersmith review EDITED.docx``: what a reviewer changed, block by block, and
``--apply brief|library`` to carry it back (logic in :mod:`lettersmith.review`)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli import user_errors


@click.command()
@click.argument("edited", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for scripts.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a side-by-side redline page to this file.")
@click.option("--built", type=click.Path(dir_okay=False, path_type=Path),
              help="The .docx lettersmith built, when EDITED lost its build record "
                   "(text pasted into a fresh document).")
@click.option("--reject", is_flag=True, help="Take the text as it was before the tracked changes.")
@click.option("--apply", "target", type=click.Choice(["brief", "library"]),
              help="Carry the edits into the brief that built the letter, or the library.")
@click.option("--dry-run", is_flag=True, help="With --apply: show the diffs, write nothing.")
@click.option("--brief", "brief", type=click.Path(dir_okay=False, path_type=Path),
              help="The brief to apply to (default: the one recorded in the file).")
@click.option("--library", type=click.Path(file_okay=False, path_type=Path),
              help="The library (default: the brief's library:, else the recorded one).")
@click.option("--as-variant", is_flag=True,
              help="With --apply library: keep the reviewer's text as a new snippet beside the old.")
@click.option("--force", is_flag=True,
              help="With --apply library: replace a snippet changed since the letter was built.")
@user_errors
def review(edited: Path, as_json: bool, html_file: Path | None, built: Path | None, reject: bool, target: str | None,
           dry_run: bool, brief: Path | None, library: Path | None, as_variant: bool,
           force: bool) -> None:
    """Show what the reviewer of EDITED (a .docx lettersmith built) changed, block by block."""
    from ..output import write_atomic
    from ..review.files import write_changes
    from ..review.report import review_json, review_text
    from ..review.session import keep_replaced, load_review, plan

    if (dry_run or as_variant or force) and not target:
        raise click.UsageError("--dry-run, --as-variant and --force go with --apply")
    result = load_review(edited, reject, built)
    if as_json:
        click.echo(json.dumps(review_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(review_text(result))
    if html_file:
        from ..review.redline import redline_html
        write_atomic(html_file, redline_html(result).encode("utf-8"))
        click.echo(f"wrote {html_file}", err=True)
    if not target:
        return
    changes = plan(result, target, brief=brief, library=library, as_variant=as_variant, force=force)
    for change in changes.changes:
        click.echo(change.diff(), nl=False, err=as_json)
    for line in changes.notes:
        click.echo(line, err=True)
    if not changes.changes:
        click.echo(f"--apply {target}: nothing to change", err=True)
        return
    if dry_run:
        click.echo(f"--dry-run: {len(changes.changes)} file(s) would change; nothing written",
                   err=True)
        return
    keep_replaced(result, changes, brief, library)
    for line in write_changes(changes.changes):
        click.echo(line, err=True)
