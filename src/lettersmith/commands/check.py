"""``lettersmith check``: everything ``build`` checks, plus warnings; writes nothing."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli import fail, user_errors

_WHOLE = "\0whole-library"  # what a bare --library stands for


@click.command()
@click.argument("briefs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--library", "library_opt", is_flag=False, flag_value=_WHOLE, default=None,
              metavar="[DIR]",
              help="Check every item of the library (DIR, else the current folder), "
                   "including blocks no brief uses; with BRIEFs, DIR is their library.")
@click.option("--stale-after", default=None, metavar="AGE",
              help="Warn about facts older than this before the letter's date (365d, 26w, 18m, "
                   "1y; default: the brief's stale-after:, else 365d).")
@user_errors
def check(briefs: tuple[Path, ...], library_opt: str | None, stale_after: str | None) -> None:
    """Check each BRIEF as build would, and report warnings.

    Exit status 1 when anything would stop a build; warnings alone leave it 0.
    """
    from ..checks import check_brief, check_library, parse_duration
    from ..library import load_library

    age = parse_duration(stale_after) if stale_after else None
    whole = library_opt == _WHOLE or not briefs
    library_dir = None if library_opt in (None, _WHOLE) else Path(library_opt)
    if library_dir is not None and library_dir.suffix in (".yaml", ".yml") and library_dir.is_file():
        briefs, library_dir, whole = (library_dir, *briefs), None, True  # "--library brief.yaml"
    if library_dir is not None and not library_dir.is_dir():
        raise click.BadParameter(f"{library_dir} is not a folder", param_hint="--library")
    failed = False
    for brief_path in briefs:
        report = check_brief(brief_path, library_dir, age)
        failed |= _show(report, str(brief_path))
    if whole:
        root = library_dir or Path.cwd()
        report = check_library(load_library(root), age or parse_duration("365d"))
        failed |= _show(report, f"library {root}")
    if failed:
        sys.exit(1)


def _show(report: object, what: str) -> bool:
    errors, warnings = report.errors, report.warnings  # type: ignore[attr-defined]
    errors = sorted(errors, key=lambda e: (e.file or "", e.line or 0))  # in file order
    for err in errors:
        fail(str(err))
    for warning in warnings:
        click.echo(str(warning), err=True)
    counts = f"{len(errors)} error(s), {len(warnings)} warning(s)"
    click.echo(f"{what}: {'FAILED, ' if errors else 'ok, '}{counts}")
    return bool(errors)
