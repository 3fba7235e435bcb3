"""The ``lettersmith`` command line (click).

Exit status: 0 success; 1 the input is wrong (one message naming file, line and
fix; never a traceback); 2 a wrong command line.  Sub-commands other than
``build`` live in their own modules and are imported only when called.
"""
from __future__ import annotations

import functools
import importlib
import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

from .errors import LettersmithError

# name -> (module, attribute): loaded on first use so start-up stays lean.
LAZY_COMMANDS = {
    "check": ("lettersmith.commands.check", "check"),
    "snippets": ("lettersmith.commands.snippets", "snippets"),
    "history": ("lettersmith.commands.history", "history"),
    "ingest": ("lettersmith.commands.ingest", "ingest"),
    "schema": ("lettersmith.commands.schema", "schema"),
    "new": ("lettersmith.commands.new", "new"),
    "preview": ("lettersmith.commands.preview", "preview"),
    "merge": ("lettersmith.commands.merge", "merge"),
    "review": ("lettersmith.commands.review", "review"),
    "sent": ("lettersmith.commands.history", "sent"),
    "server": ("lettersmith.commands.server", "server"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        names.update(n for n, (mod, _) in LAZY_COMMANDS.items() if _module_exists(mod))
        return sorted(names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in LAZY_COMMANDS and _module_exists(LAZY_COMMANDS[name][0]):
            module, attr = LAZY_COMMANDS[name]
            command = getattr(importlib.import_module(module), attr)
        return command


def _module_exists(module: str) -> bool:
    return (Path(__file__).parent / (module.split(".", 1)[1].replace(".", "/") + ".py")).exists()


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn input mistakes into one message and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise  # a wrong command line: click prints it, exit status 2
        except LettersmithError as err:
            fail(str(err))
            sys.exit(1)
        except BrokenPipeError:  # `lettersmith snippets list | head`: stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except OSError as err:
            fail(f"{err.filename or ''}: {err.strerror or err}".lstrip(": "))
            sys.exit(1)
        except Exception as err:  # a bug: still one line, unless asked for more
            if os.environ.get("LETTERSMITH_DEBUG"):
                raise
            fail(f"internal error, please report it (set LETTERSMITH_DEBUG=1 for details): "
                 f"{type(err).__name__}: {err}")
            sys.exit(1)

    return wrapper


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lettersmith")
def main() -> None:
    """Draft advocacy letters from a YAML brief and a snippet library."""


@main.command()
@click.argument("briefs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder to write into.")
@click.option("-f", "--format", "formats", default="docx", show_default=True,
              help="Comma-separated formats: docx, md, html, txt, pdf.")
@click.option("--library", type=click.Path(file_okay=False, path_type=Path),
              help="Library folder (default: the brief's library:, else the current folder).")
@click.option("--letterhead", type=click.Path(dir_okay=False, path_type=Path),
              help="A .docx whose styles, page setup, header and footer the letter uses, "
                   "or the name of a shipped one (default, example-org).")
@click.option("--review", is_flag=True, help="Add a Word comment naming each argument's snippet.")
@click.option("--force", is_flag=True,
              help="Overwrite a .docx a reviewer edited, keeping it as a numbered backup.")
@user_errors
def build(briefs: tuple[Path, ...], out_dir: Path, formats: str, library: Path | None,
          letterhead: Path | None, review: bool, force: bool) -> None:
    """Build each BRIEF into OUTPUT/<brief name>.<format> and print the paths."""
    from .build import build_letter
    from .output import parse_formats, render, write_all
    from .server.hints import remember as remember_built

    kinds = parse_formats(formats)
    failed = 0
    for brief_path in briefs:
        try:
            letter = build_letter(brief_path, library)
            for warning in letter.warnings:
                click.echo(str(warning), err=True)
            head = letterhead or letter.brief.letterhead
            remember_built(letter.brief.path, letter.library.root, letterhead)
            if head is not None and "docx" not in kinds and "pdf" not in kinds:
                from .writers.docx.letterhead import open_letterhead
                open_letterhead(head)  # a wrong letterhead is wrong whatever the format
            files = {out_dir / f"{letter.brief.name}.{fmt}":
                     render(letter.doc, fmt, letterhead=head, review=review) for fmt in kinds}
            if letter.brief.get("press") is not None:  # the release, beside the letter
                from .press import build_release
                release = build_release(letter)
                files.update({out_dir / f"{letter.brief.name}-press.{fmt}":
                              render(release.doc, fmt, letterhead=head) for fmt in kinds})
                for kind, ids in release.draft.used.items():  # history: what went out
                    letter.draft.used.setdefault(kind, []).extend(ids)
                counts = release.counts
                click.echo(f"{letter.brief.path}: press release: {counts.about} signers, "
                           f"{len(counts.named)} named", err=True)
            for said in write_all(files, force):
                click.echo(said, err=True)
        except LettersmithError as err:
            fail(str(err))
            failed += 1
            continue
        signers = letter.draft.signatories
        if signers:
            click.echo(f"{letter.brief.path}: {len(letter.doc.notes)} notes, "
                       f"{signers.count} signers", err=True)
        for path in files:
            click.echo(str(path))
        _record_history(letter, list(files))
    if failed:
        sys.exit(1)


def _record_history(letter: Any, paths: list[Path]) -> None:
    """Remember what went out (issue 5's history), when that module is present."""
    if not _module_exists("lettersmith.history"):
        return
    from .history import record_build
    record_build(letter, paths)
