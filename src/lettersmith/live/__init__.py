"""``lettersmith preview``: the letter in the browser, rebuilt on every save.

``session`` holds the build state and watches files (watchfiles), ``server``
answers the browser (ThreadingHTTPServer, Server-Sent Events), ``letter`` marks
the HTML writer's letter for the page, ``search`` and ``brief_edit`` put library
items into the brief, ``page`` and ``assets/`` are the page itself.
"""
from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Callable

from ..errors import LettersmithError


def serve(brief: Path, port: int, open_browser: bool, library_dir: Path | None = None,
          say: Callable[[str], None] = print) -> None:
    """Serve the preview of ``brief`` until interrupted (Ctrl-C)."""
    from .server import PreviewServer
    from .session import Session

    if not brief.is_file():
        raise LettersmithError(f"no brief at {brief}", hint="give the path of a brief .yaml file")
    session = Session(brief, library_dir)
    state = session.rebuild()
    try:
        server = PreviewServer(session, port)
    except OSError as err:
        raise LettersmithError(f"cannot listen on 127.0.0.1:{port}: {err.strerror or err}",
                               hint="choose another port with --port N (0 picks a free one)"
                               ) from None
    session.start_watching()
    say(server.url)
    if state["error"]:
        say(f"the brief does not build yet (the page shows why):\n{state['error']}")
    say(f"watching {brief} and its library; Ctrl-C stops")
    if open_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        session.close()
        server.server_close()
