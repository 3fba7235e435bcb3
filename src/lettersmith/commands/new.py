"""``lettersmith new BRIEF [--from EXISTING]``: start a brief, never overwriting one."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import click

from ..cli import user_errors
from ..errors import LettersmithError

SKELETON = """\
# yaml-language-server: $schema={schema}
template: letter                  # or congressional-letter
date: {today}
to: RECIPIENT-ID                  # lettersmith snippets list --kind recipient
subject: ""
body:                             # lettersmith snippets search WORDS finds arguments
  - text: |
      We write to ...
  - argument: ARGUMENT-ID
closing: Thank you for your time.
signoff: Sincerely,
signatories: SIGNATORIES-ID
"""
_DATE = re.compile(r"^(date:[ \t]*)([^#\n]*?)([ \t]*(?:#.*)?)$", re.M)
_PRESS_DATE = re.compile(r"^([ \t]+date:[ \t]*)(\d{4}-\d{2}-\d{2})([ \t]*(?:#.*)?)$", re.M)
_PATH_KEY = re.compile(r"""^((?:library|letterhead):[ \t]*)(["']?)([^"'#\n]+?)\2([ \t]*(?:#.*)?)$""",
                       re.M)
_SCHEMA = re.compile(r"^(#\s*yaml-language-server:\s*\$schema=)(\S+)", re.M)


def _moved(value: str, old_dir: Path, new_dir: Path) -> str:
    """A path written relative to ``old_dir``, rewritten relative to ``new_dir``."""
    if "://" in value or Path(value).is_absolute():
        return value
    target = (old_dir / value).resolve()
    return Path(os.path.relpath(target, new_dir.resolve())).as_posix()


def from_existing(text: str, old: Path, new: Path, today: dt.date) -> str:
    """The text of ``old`` for a new letter at ``new``: today's date, paths still right."""
    old_dir, new_dir = old.parent, new.parent
    if _DATE.search(text):
        text = _DATE.sub(lambda m: f"{m.group(1)}{today.isoformat()}{m.group(3)}", text, count=1)
    # press: date: (the release's) follows the letter's, to today
    text = _PRESS_DATE.sub(lambda m: f"{m.group(1)}{today.isoformat()}{m.group(3)}", text)
    text = _PATH_KEY.sub(lambda m: m.group(1) + m.group(2) + _moved(m.group(3), old_dir, new_dir)
                         + m.group(2) + m.group(4), text)
    return _SCHEMA.sub(lambda m: _schema_line(m.group(1), m.group(2), old_dir, new), text)


def _schema_line(prefix: str, value: str, old_dir: Path, new: Path) -> str:
    """The $schema line, pointing at a file that exists (or a comment saying there is none)."""
    moved = _moved(value, old_dir, new.parent)
    if "://" in moved or Path(os.path.normpath(new.parent.resolve() / moved)).exists():
        return prefix + moved
    found = _schema_path(new)
    return prefix + found if found else "# (no brief.schema.json found: 'lettersmith schema')"


def _schema_path(new: Path) -> str | None:
    """Where the brief schema is, relative to ``new``: the nearest schemas/ above it
    (None when there is none: a $schema line must name a file that exists)."""
    here = Path(os.path.normpath(new.parent.resolve()))
    for folder in [here, *here.parents]:
        candidate = folder / "schemas" / "brief.schema.json"
        if candidate.exists():
            return Path(os.path.relpath(candidate, new.parent.resolve())).as_posix()
    return None


@click.command()
@click.argument("brief", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "existing", type=click.Path(dir_okay=False, path_type=Path),
              help="An earlier brief to start from (copied; date set to today).")
@user_errors
def new(brief: Path, existing: Path | None) -> None:
    """Write a new BRIEF, from an EXISTING one or from a skeleton."""
    from ..brief import read_brief
    from ..output import write_atomic
    from ..safefiles import decode_utf8, read_bytes

    if brief.exists():
        raise LettersmithError("this file already exists; it was not overwritten", file=brief,
                               hint="choose another name, or delete the file first")
    if brief.suffix not in (".yaml", ".yml"):
        raise LettersmithError("a brief's name must end in .yaml", file=brief,
                               hint=f"try {brief.with_suffix('.yaml')}")
    today = dt.date.today()
    if existing is not None:
        try:
            text = decode_utf8(read_bytes(existing, existing, "brief"), existing, "brief")
        except FileNotFoundError:
            raise LettersmithError("no such brief", file=existing,
                                   hint="give --from the path of an existing .yaml brief") from None
        text = from_existing(text, existing, brief, today)
    else:
        schema = _schema_path(brief)
        text = SKELETON.format(today=today.isoformat(), schema=schema or "")
        if schema is None:
            text = text.split("\n", 1)[1]
            click.echo("note: no schemas/brief.schema.json above this folder, so the brief "
                       "names no $schema ('lettersmith schema -o schemas' in the library writes "
                       "one for editors)", err=True)
    write_atomic(brief, text.encode("utf-8"))
    click.echo(str(brief))
    if existing is not None:
        try:
            read_brief(brief)
        except LettersmithError as err:
            click.echo(f"warning: the copy is not a valid brief yet: {err}", err=True)
        click.echo(f"started from {existing}, dated {today.isoformat()}: now change to:, "
                   "subject: and body:, then run 'lettersmith check'", err=True)
    else:
        click.echo("fill in the CAPITALIZED ids ('lettersmith snippets list' shows them), "
                   "then run 'lettersmith check'", err=True)
