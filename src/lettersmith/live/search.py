"""The page's search box: ``snippets search``'s ranking over the blocks a letter
can take (arguments, quotes, facts), each rendered alone with its notes."""
from __future__ import annotations

from html import escape
from typing import Any

from ..errors import LettersmithError
from ..library import Library
from ..preview import preview_item
from ..render import Renderer
from ..search import search
from .brief_edit import ADDABLE
from .letter import LiveHtmlWriter

LIMIT = 8


def search_results(library: Library, query: str) -> list[dict[str, Any]]:
    """The best hits for ``query``: id, kind, title, score and the rendered item."""
    renderer = Renderer(library)
    out = []
    for hit in search(library, query, ADDABLE)[:LIMIT]:
        item = hit.item
        try:
            html = LiveHtmlWriter(preview_item(library, item, renderer=renderer).doc).fragment()
        except LettersmithError as err:
            html = f'<p class="cannot">cannot be rendered: {escape(str(err))}</p>'
        out.append({"id": item.id, "kind": item.kind, "title": item.title,
                    "origin": str(item.data.get("origin") or ""),
                    "score": round(hit.score, 2), "html": html})
    return out
