"""``lettersmith preview BRIEF``: the letter in the browser, following every save."""
from __future__ import annotations

from pathlib import Path

import click

from ..cli import user_errors


@click.command()
@click.argument("brief", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--no-open", is_flag=True, help="Do not open a browser; just print the address.")
@click.option("--library", type=click.Path(file_okay=False, path_type=Path),
              help="Library folder (default: the brief's library:, else the current folder).")
@user_errors
def preview(brief: Path, port: int, no_open: bool, library: Path | None) -> None:
    """Serve BRIEF's letter on http://127.0.0.1:PORT/ and rebuild it on every save
    of the brief or its library; search the library and add blocks from the page."""
    from ..live import serve
    serve(brief, port, not no_open, library, say=lambda text: click.echo(text))
