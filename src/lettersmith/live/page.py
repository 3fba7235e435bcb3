"""The preview page: the letter's own CSS (from the HTML writer), the page's CSS
and script, and the token the script sends back."""
from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path

from ..writers.html import CSS as LETTER_CSS

ASSETS = Path(__file__).parent / "assets"


@lru_cache(maxsize=1)
def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def page(token: str, title: str = "lettersmith preview", nonce: str = "") -> str:
    """The whole page; the letter itself arrives over the event stream."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="lettersmith-token" content="{escape(token)}">
<title>{escape(title)}</title>
<style>
{LETTER_CSS}
{_asset("page.css")}
</style>
</head>
<body class="preview">
<div id="bar"><h1>lettersmith preview</h1><span id="status">building\u2026</span>
<input id="search" type="search" placeholder="Search the library: arguments, quotes, facts"
 aria-label="Search the library"></div>
<main>
<pre id="error" role="alert" hidden></pre>
<div id="warnings" hidden><b>check</b> warnings (marked \u26a0 in the letter):<ul></ul></div>
<article class="sheet" id="letter"></article>
</main>
<aside>
<div id="note" class="panel" hidden></div>
<div id="where"></div>
<div id="results"></div>
</aside>
<div id="tip" hidden></div>
<script nonce="{escape(nonce)}">
{_asset("page.js")}
</script>
</body>
</html>
"""
