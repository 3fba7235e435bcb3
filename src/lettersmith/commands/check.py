"""``lettersmith check``: everything ``build`` checks, plus warnings; writes nothing."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli import fail, user_errors
from ..errors import LettersmithError


@click.command()
@click.argument("briefs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--library", "library_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Library folder (default: the brief's library:, else the current folder).")
@user_errors
def check(briefs: tuple[Path, ...], library_dir: Path | None) -> None:
    """Check each BRIEF as build would, and report warnings."""
    from ..build import build_letter

    failed = 0
    for brief_path in briefs:
        try:
            letter = build_letter(brief_path, library_dir)
        except LettersmithError as err:
            fail(str(err))
            failed += 1
            continue
        for warning in letter.warnings:
            click.echo(str(warning), err=True)
        click.echo(f"{brief_path}: ok ({len(letter.doc.notes)} notes)")
    if failed:
        sys.exit(1)
