"""``lettersmith server start|stop|status``: the resident server that runs commands
without Python's start-up imports (see :mod:`lettersmith.server`)."""
from __future__ import annotations

import datetime as dt
import json

import click

from ..cli import user_errors
from ..errors import LettersmithError
from ..server import control, paths


@click.group()
def server() -> None:
    """The resident server: commands after the first run in a warm process.

    The command line starts it by itself after a command and it stops after 15
    minutes without one (LETTERSMITH_SERVER_IDLE seconds); LETTERSMITH_SERVER=0
    turns it off."""


@server.command()
@user_errors
def start() -> None:
    """Start the server (if none runs) and wait until it answers."""
    _usable()
    found = control.start()
    if found is None:
        why = _failure()
        raise LettersmithError("the server did not start" + (f": {why}" if why else ""),
                               hint="run 'python -m lettersmith.server serve' to see why, "
                                    "or set LETTERSMITH_SERVER=0 to do without it")
    click.echo(f"lettersmith server: running, pid {found['pid']}, socket {found['socket']}")


@server.command()
@user_errors
def stop() -> None:
    """Stop the server once the commands it runs have ended."""
    if not control.stop():
        raise LettersmithError("the server did not stop within 20 seconds",
                               hint="a long command is still running; try again when it ends")
    click.echo("lettersmith server: stopped")


@server.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@user_errors
def status(as_json: bool) -> None:
    """Say whether the server runs, since when, and how many commands it ran."""
    found = control.ask("status")
    if as_json:
        click.echo(json.dumps(found or {"running": None, "enabled": paths.enabled()}))
        return
    if found is None:
        off = "" if paths.enabled() else " (LETTERSMITH_SERVER turns it off)"
        click.echo(f"lettersmith server: not running{off}")
        return
    since = dt.datetime.fromtimestamp(found["started"]).strftime("%Y-%m-%d %H:%M:%S")
    click.echo(f"lettersmith server: running, pid {found['pid']}, since {since}, "
               f"{found['served']} commands run, {found['running']} running now; "
               f"socket {found['socket']}")


def _usable() -> None:
    if not paths.enabled():
        raise LettersmithError("the server is turned off", hint="unset LETTERSMITH_SERVER "
                               "(it is 0/off), or run commands without a server")
    if not paths.runtime_dir():
        raise LettersmithError("no private folder for the server's socket",
                               hint="set XDG_RUNTIME_DIR or TMPDIR to a folder only you can "
                                    "use, with a short path")


def _failure() -> str:
    """What the last server that could not start wrote about it."""
    folder = paths.runtime_dir()
    try:
        with open(paths.path(folder, "failed"), encoding="utf-8") as handle:
            return handle.read(2000).strip()
    except (OSError, TypeError):
        return ""
