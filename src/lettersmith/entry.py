"""The ``lettersmith`` command: run by this installation's resident server when one
answers (see :mod:`lettersmith.server`), else in this process, which then starts a
server in the background for the next command."""
from __future__ import annotations

import os
import sys

from .server import client, paths


def main(prog: str | None = None) -> None:
    try:
        code = client.forward(sys.argv, prog or os.path.basename(sys.argv[0]))
    except KeyboardInterrupt:
        sys.stderr.write("Aborted!\n")
        sys.exit(1)
    if code is not None:
        sys.exit(code)
    try:
        run_here(prog)
    finally:
        if client.no_server and paths.enabled():
            client.start_in_background()


def run_here(prog: str | None) -> None:
    """The click command line, on this process's arguments (it ends with SystemExit)."""
    from .cli import main as command_line
    command_line(prog_name=prog)
