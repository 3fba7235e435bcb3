"""``lettersmith merge``: one letter per recipient row (see ``lettersmith.merge``)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli import fail, user_errors


@click.command()
@click.argument("brief", type=click.Path(path_type=Path))
@click.argument("recipients")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder to write into.")
@click.option("-f", "--format", "formats", default="docx", show_default=True,
              help="Comma-separated formats: docx, md, html, txt, pdf.")
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Take a recipient field (name, title, organization, address, city, state, "
                   "zip, salutation, email) from COLUMN.")
@click.option("--where", multiple=True, metavar="COLUMN=VALUE",
              help="Only rows whose COLUMN is VALUE (ignoring case); repeatable.")
@click.option("--name", "name", default="{name}", show_default=True, metavar="PATTERN",
              help="File names from columns, e.g. '{state}-{county}'.")
@click.option("--join", "joins", multiple=True, metavar="FILE[#SHEET]",
              help="Add the columns of another sheet (e.g. contacts), matched on --on.")
@click.option("--on", metavar="COLUMN", help="The column --join matches on (default: the first "
                                            "column both sheets have).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to build letters in (default: the number of cores).")
@click.option("--zip", "zip_", is_flag=True, help="Also write every letter and merge.csv into one .zip.")
@click.option("--check", is_flag=True,
              help="Build every row's letter in memory and report bad rows; write nothing.")
@click.option("--library", type=click.Path(file_okay=False, path_type=Path),
              help="Library folder (default: the brief's library:, else the current folder).")
@click.option("--letterhead", type=click.Path(dir_okay=False, path_type=Path),
              help="A .docx letterhead, or the name of a shipped one.")
@click.option("--review", is_flag=True, help="Add a Word comment naming each argument's snippet.")
@click.option("--force", is_flag=True,
              help="Overwrite a .docx a reviewer edited, keeping it as a numbered backup.")
@user_errors
def merge(brief: Path, recipients: str, out_dir: Path, formats: str, maps: tuple[str, ...],
          where: tuple[str, ...], name: str, joins: tuple[str, ...], on: str | None,
          jobs: int | None, zip_: bool, check: bool, library: Path | None,
          letterhead: Path | None, review: bool, force: bool) -> None:
    """Write BRIEF once for each recipient in RECIPIENTS (.csv, .xlsx[#SHEET], a YAML
    list, or a library file of recipients), plus OUTPUT/merge.csv."""
    from ..merge import Options
    from ..merge import merge as run_merge

    opts = Options(out_dir=out_dir, formats=formats, library=library, letterhead=letterhead,
                   review=review, force=force, maps=maps, where=where, name=name, joins=joins,
                   on=on, jobs=jobs or 0, zip=zip_, check=check)
    result = run_merge(brief, recipients, opts, show_progress=sys.stderr.isatty())
    for warning in dict.fromkeys(result.warnings):  # a brief's warning repeats per letter
        click.echo(warning, err=True)
    for message in result.failed:
        fail(message)
    if check:
        click.echo(f"{len(result.written)} letters would be written; nothing was", err=True)
    else:
        click.echo(f"{len(result.written)} letters written to {out_dir} (merge {result.merge_id}); "
                   f"manifest {result.manifest}"
                   + (f"; zip {result.archive}" if result.archive else ""), err=True)
    if result.failed:
        click.echo(f"{len(result.failed)} row(s) skipped: fix them and run the merge again "
                   "(letters already written are rewritten only if unchanged by a reviewer)",
                   err=True)
        sys.exit(1)
