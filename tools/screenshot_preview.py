"""Take docs/preview.png: ``lettersmith preview`` of a tmp copy of the example
brief, in the system Chromium through Playwright, with a block hovered, a note
clicked and a search typed; then docs/preview-error.png, the same page after
a save with a typo in an id.  Run: ``python tools/screenshot_preview.py``."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BRIEF = "new-letter-2026-county-287g.yaml"


def main(out: Path = ROOT / "docs" / "preview.png") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "snippets", root / "snippets")
        (root / "examples" / "briefs").mkdir(parents=True)
        text = (ROOT / "examples" / "briefs" / BRIEF).read_text(encoding="utf-8")
        # without the brief's allowance for old figures, check flags the stale facts
        (root / "examples" / "briefs" / BRIEF).write_text(
            text.replace("stale-after: 5y", "stale-after: 1y"), encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "lettersmith", "preview",
                                 f"examples/briefs/{BRIEF}", "--port", "0", "--no-open"],
                                cwd=root, stdout=subprocess.PIPE, text=True)
        try:
            url = proc.stdout.readline().strip()  # type: ignore[union-attr]
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url)
                expect(page.locator("#status")).to_contain_text("up to date")
                page.evaluate("document.querySelector('.body-item[data-n=\"5\"]')"
                              ".scrollIntoView({block: 'start'}); window.scrollBy(0, -60)")
                page.click("#letter h2:has-text('287(g) invites racial profiling')")
                page.fill("#search", "detainer liability")
                expect(page.locator(".hit").first).to_be_visible()
                page.click('sup[data-note="10"]')
                page.hover('.snippet[data-snippet="287g-empowers-racist-officials"] p >> nth=0')
                page.screenshot(path=str(out))
                brief = root / "examples" / "briefs" / BRIEF  # a typo in an id: the error shot
                brief.write_text(brief.read_text(encoding="utf-8").replace(
                    "argument: wso-liability-and-oversight", "argument: wso-liability-oversight"),
                    encoding="utf-8")
                expect(page.locator("#error")).to_be_visible()
                page.mouse.move(5, 500)
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(out.with_name("preview-error.png")))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(out)


if __name__ == "__main__":
    main()
