"""Take docs/preview.png: ``lettersmith preview`` of a tmp copy of the example
brief, in the system Chromium through Playwright, with a block hovered, a note
clicked and a search typed; then docs/preview-error.png, the same page after
a save with a typo in an id.  Run: ``python tools/screenshot_preview.py``."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from preview_session import ROOT, preview_page


def main(out: Path = ROOT / "docs" / "preview.png") -> None:
    # without the brief's allowance for old figures, check flags the stale facts
    with preview_page(lambda text: text.replace("stale-after: 5y", "stale-after: 1y"),
                      viewport={"width": 1400, "height": 1000}) as (page, brief, _):
        expect(page.locator("#status")).to_contain_text("up to date")
        page.evaluate("document.querySelector('.body-item[data-n=\"5\"]')"
                      ".scrollIntoView({block: 'start'}); window.scrollBy(0, -60)")
        page.click("#letter h2:has-text('287(g) invites racial profiling')")
        page.fill("#search", "detainer liability")
        expect(page.locator(".hit").first).to_be_visible()
        page.click('sup[data-note="10"]')
        page.hover('.snippet[data-snippet="287g-empowers-racist-officials"] p >> nth=0')
        page.screenshot(path=str(out))
        brief.write_text(brief.read_text(encoding="utf-8").replace(  # a typo in an id
            "argument: wso-liability-and-oversight", "argument: wso-liability-oversight"),
            encoding="utf-8")
        expect(page.locator("#error")).to_be_visible()
        page.mouse.move(5, 500)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(out.with_name("preview-error.png")))
    print(out)


if __name__ == "__main__":
    main()
