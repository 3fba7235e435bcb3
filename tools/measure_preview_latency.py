"""Measure how soon a save of the brief shows in the open preview page: N saves,
each timed from the file's replacement to the page's new build (Chromium through
Playwright).  Run: ``python tools/measure_preview_latency.py [N]``."""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BRIEF = "new-letter-2026-county-287g.yaml"


def main(rounds: int = 10) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "snippets", root / "snippets")
        brief = root / "examples" / "briefs" / BRIEF
        brief.parent.mkdir(parents=True)
        text = (ROOT / "examples" / "briefs" / BRIEF).read_text(encoding="utf-8")
        brief.write_text(text, encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "lettersmith", "preview",
                                 f"examples/briefs/{BRIEF}", "--port", "0", "--no-open"],
                                cwd=root, stdout=subprocess.PIPE, text=True)
        try:
            url = proc.stdout.readline().strip()  # type: ignore[union-attr]
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_page()
                page.goto(url)
                page.wait_for_function("document.body.dataset.version >= 1")
                times = []
                for n in range(rounds):
                    version = int(page.evaluate("document.body.dataset.version"))
                    tmp_file = brief.with_suffix(".tmp")
                    tmp_file.write_text(text.replace("Thank you for your time.",
                                                     f"Thank you ({n})."), encoding="utf-8")
                    started = time.perf_counter()
                    os.replace(tmp_file, brief)
                    page.wait_for_function(f"document.body.dataset.version > {version}",
                                           polling="raf")
                    times.append((time.perf_counter() - started) * 1000)
                    time.sleep(0.3)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"save to page, {rounds} saves: median {statistics.median(times):.0f} ms, "
          f"min {min(times):.0f}, max {max(times):.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
