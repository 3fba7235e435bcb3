"""The preview of a copy of the example brief, open in the system Chromium through
Playwright: what tools/measure_preview_latency.py and tools/screenshot_preview.py
both need."""
from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BRIEF = "new-letter-2026-county-287g.yaml"


@contextlib.contextmanager
def preview_page(edit: Callable[[str], str] = lambda text: text, **page_options: object
                 ) -> Iterator[tuple[Page, Path, str]]:
    """(page, brief path, brief text): ``lettersmith preview`` of a temporary copy of
    the library and of the example brief (its text passed through ``edit``)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "snippets", root / "snippets")
        brief = root / "examples" / "briefs" / BRIEF
        brief.parent.mkdir(parents=True)
        text = edit((ROOT / "examples" / "briefs" / BRIEF).read_text(encoding="utf-8"))
        brief.write_text(text, encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "lettersmith", "preview",
                                 f"examples/briefs/{BRIEF}", "--port", "0", "--no-open"],
                                cwd=root, stdout=subprocess.PIPE, text=True)
        try:
            url = proc.stdout.readline().strip()  # type: ignore[union-attr]
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_page(**page_options)  # type: ignore[arg-type]
                page.goto(url)
                yield page, brief, text
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
