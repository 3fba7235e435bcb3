"""``lettersmith preview`` in a real browser: the real command in a subprocess,
Chromium from the system packages driven by Playwright (nothing downloaded).

Each test serves a tmp copy of the example brief and the shipped library.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
BRIEF = "new-letter-2026-county-287g.yaml"

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


class Served:
    """A running ``lettersmith preview`` on a tmp copy of the library."""

    def __init__(self, root: Path, brief_text: str | None = None) -> None:
        shutil.copytree(ROOT / "snippets", root / "snippets")
        (root / "examples" / "briefs").mkdir(parents=True)
        self.root = root
        self.brief = root / "examples" / "briefs" / BRIEF
        example = ROOT / "examples" / "briefs" / BRIEF
        self.original = brief_text or example.read_text(encoding="utf-8")
        self.brief.write_text(self.original, encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lettersmith", "preview", str(self.brief.relative_to(root)),
             "--port", "0", "--no-open"], cwd=root, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), self.url
        self.output: list[str] = []  # the rest, read on so the server never blocks on the pipe
        threading.Thread(target=lambda: self.output.extend(self.proc.stdout), daemon=True).start()
        parts = urlsplit(self.url)
        self.port = parts.port
        self.token = parts.query.removeprefix("token=")

    def save(self, text: str) -> None:
        """Save the brief as an editor does: a new file moved into place."""
        tmp = self.brief.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.brief)

    def request(self, method: str, path: str, *, host: str | None = None,
                headers: dict[str, str] | None = None, body: str | None = None) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.putrequest(method, path, skip_host=True)
        conn.putheader("Host", host or f"127.0.0.1:{self.port}")
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        data = (body or "").encode()
        conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        status = conn.getresponse().status
        conn.close()
        return status

    def state(self) -> dict:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", f"/state?token={self.token}")
        state = json.loads(conn.getresponse().read())
        conn.close()
        return state

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        assert not any("Traceback" in line for line in self.output), "".join(self.output)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the tests that start from the example brief (each restores it)."""
    server = Served(tmp_path_factory.mktemp("preview"))
    yield server
    server.stop()


@pytest.fixture
def served(shared: Served) -> Served:
    """The shared server, its brief as it was at the start."""
    if shared.brief.read_text(encoding="utf-8") != shared.original:
        shared.save(shared.original)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            state = shared.state()
            if not state["error"] and len(state["body"]) == shared.original.count("\n  - "):
                break
            time.sleep(0.05)
    return shared


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(served.url)
    expect(page.locator("#status")).to_contain_text("up to date")
    yield page
    page.close()
    assert not errors, errors


def expected_notes(brief: Path) -> list[str]:
    """The notes of the letter as the pipeline numbers them, as plain text."""
    from lettersmith import model as m
    from lettersmith.build import build_letter
    doc = build_letter(brief).doc
    return [" ".join(m.plain_text(n.blocks).split()) for n in doc.notes]


def page_notes(page: Any) -> list[str]:
    texts = page.locator("#letter section.notes li").all_inner_texts()
    return [" ".join(t.replace("\u21a9", "").split()) for t in texts]


def test_the_example_page_shows_every_note_in_order(page: Any, served: Served) -> None:
    want = expected_notes(served.brief)
    assert len(want) == 14
    assert page_notes(page) == want
    marks = page.locator("#letter sup[data-note]").all_inner_texts()
    assert marks == [str(n) for n in range(1, 15)]
    # the sign-on list and the letter's parts are there too
    assert page.locator("#letter .signatures p").count() >= 7
    expect(page.locator("#letter .subject")).to_contain_text("287(g) Agreement")


def test_hover_shows_provenance_and_a_note_click_shows_the_form(page: Any) -> None:
    page.hover('.snippet[data-snippet="287g-makes-communities-less-safe"]')
    tip = page.locator("#tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("287g-makes-communities-less-safe")
    expect(tip).to_contain_text("origin: 2021-02-11")
    page.click('sup[data-note="10"]')
    panel = page.locator("#note")
    expect(panel).to_contain_text("Note 10")
    expect(panel).to_contain_text("supra")
    expect(panel).to_contain_text("cited in full in note 6")
    expect(panel).to_contain_text("cato-nowrasteh-secure-communities-2017")
    page.click("#letter section.notes li#fn6")
    expect(panel).to_contain_text("first citation of this source")


def test_endnotes_in_roman_numerals_keep_their_labels_everywhere(page: Any, served: Served) -> None:
    served.save(served.original.replace("notes: {placement: footnotes, numbering: arabic}",
                                        "notes: {placement: endnotes, numbering: lower-roman}"))
    marks = page.locator("#letter sup[data-note]")
    expect(marks.nth(9)).to_have_text("x")
    assert marks.all_inner_texts()[:6] == ["i", "ii", "iii", "iv", "v", "vi"]
    assert page_notes(page) == expected_notes(served.brief)
    page.click('sup[data-note="10"]')
    expect(page.locator("#note")).to_contain_text("Note x")
    expect(page.locator("#note")).to_contain_text("cited in full in note vi")


def test_saving_the_brief_with_a_new_block_updates_the_page(page: Any, served: Served) -> None:
    page.evaluate("window.scrollTo(0, 900)")
    before = page.evaluate("window.scrollY")
    version = int(page.evaluate("document.body.dataset.version"))
    text = served.original.replace(
        "  - asks:\n", "  - argument: end-ice-detainers-liability\n  - asks:\n", 1)
    served.save(text)
    expect(page.locator('.snippet[data-snippet="end-ice-detainers-liability"]')).to_have_count(1)
    assert int(page.evaluate("document.body.dataset.version")) > version
    assert page_notes(page) == expected_notes(served.brief)
    assert len(page_notes(page)) > 14
    assert page.evaluate("window.scrollY") == before  # the reader stays where they were


def test_a_broken_brief_shows_builds_message_and_keeps_the_letter(
        page: Any, served: Served) -> None:
    typo = served.original.replace("argument: law-enforcement-leaders-oppose-287g",
                                   "argument: law-enforcement-leader-oppose-287g", 1)
    served.save(typo)
    error = page.locator("#error")
    expect(error).to_be_visible()
    build = subprocess.run([sys.executable, "-m", "lettersmith", "build",
                            "examples/briefs/" + BRIEF, "-o", "out"], cwd=served.root,
                           capture_output=True, text=True)
    assert build.returncode == 1
    message = build.stderr.strip().removeprefix("error: ")
    assert "law-enforcement-leaders-oppose-287g" in message  # the closest id
    expect(error).to_have_text(message)
    assert re.match(rf"examples/briefs/{BRIEF}:\d+: ", message)
    assert len(page_notes(page)) == 14  # the last good letter is still there
    assert page.locator("body.has-error").count() == 1
    served.save(served.original.replace("stale-after: 5y", "stale-after: 5y\nvia: [", 1))
    expect(error).to_contain_text(f"{BRIEF}:")
    expect(error).to_contain_text("YAML")
    served.save(served.original)
    expect(error).to_be_hidden()
    assert page.locator("body.has-error").count() == 0
    assert page_notes(page) == expected_notes(served.brief)


def test_started_broken_then_fixed_it_follows_the_library_too(
        browser: Any, tmp_path: Path) -> None:
    text = (ROOT / "examples" / "briefs" / BRIEF).read_text(encoding="utf-8")
    served = Served(tmp_path, text.replace("to: example-county-board", "to: example-county-bord"))
    try:
        page = browser.new_page()
        page.goto(served.url)
        expect(page.locator("#error")).to_contain_text("did you mean 'example-county-board'")
        served.save(text)
        expect(page.locator("#error")).to_be_hidden()
        page.wait_for_timeout(500)  # the watchers move to the library the brief names
        argument = next((tmp_path / "snippets").rglob("287g-empowers-racist-officials.md"))
        argument.write_text(argument.read_text(encoding="utf-8").replace(
            "The 287(g) program empowers", "The 287(g) program, edited, empowers", 1),
            encoding="utf-8")
        expect(page.locator('.snippet[data-snippet="287g-empowers-racist-officials"]')
               ).to_contain_text("The 287(g) program, edited, empowers")
        page.close()
    finally:
        served.stop()


def test_adding_from_the_search_box_writes_the_brief_and_updates_the_page(
        page: Any, served: Served) -> None:
    page.click("#letter h2:has-text('287(g) invites racial profiling')")
    expect(page.locator("#where")).to_contain_text("after body item 6")
    page.fill("#search", "detainer liability")
    hit = page.locator('.hit[data-id="end-ice-detainers-liability"]')
    expect(hit).to_be_visible()
    expect(hit.locator(".body section.notes li").first).to_be_visible()  # rendered with its notes
    hit.locator("button.add").click()
    added = page.locator('.body-item[data-n="6"] '
                         '.snippet[data-snippet="end-ice-detainers-liability"]')
    expect(added).to_have_count(1)
    after = served.brief.read_text(encoding="utf-8")
    old, new = served.original.splitlines(), after.splitlines()
    at = old.index("  - heading: 287(g) invites racial profiling") + 1
    assert new == old[:at] + ["  - argument: end-ice-detainers-liability"] + old[at:]
    assert page_notes(page) == expected_notes(served.brief)


def test_warnings_from_check_are_marked_where_they_apply(page: Any, served: Served) -> None:
    served.save(served.original.replace("stale-after: 5y", "stale-after: 1y"))
    warnings = page.locator("#warnings li")
    expect(warnings.first).to_contain_text("is stale")
    marked = page.locator("#letter .snippet.warned")
    expect(marked.first).to_be_visible()
    assert "is stale" in marked.first.get_attribute("data-warning")
    served.save(served.original)
    expect(warnings).to_have_count(0)
    expect(marked).to_have_count(0)


def test_host_header_and_token_are_checked(served: Served) -> None:
    token = served.token
    add = json.dumps({"id": "end-ice-detainers-liability"})
    assert served.request("GET", f"/?token={token}") == 200
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    conn.request("GET", f"/?token={token}")
    policy = conn.getresponse().getheader("Content-Security-Policy") or ""
    conn.close()
    assert "script-src 'nonce-" in policy  # only the page's own script may run
    assert served.request("GET", f"/?token={token}", host=f"localhost:{served.port}") == 200
    assert served.request("GET", f"/?token={token}", host=f"evil.example:{served.port}") == 403
    assert served.request("GET", f"/?token={token}", host="127.0.0.1") == 403
    assert served.request("GET", "/") == 403
    assert served.request("GET", "/state?token=wrong") == 403
    assert served.request("GET", "/state?token=%C3%A9") == 403  # not ASCII: still a refusal
    assert served.request("GET", "/events") == 403
    for headers in ({}, {"X-Lettersmith-Token": "wrong"}):
        assert served.request("POST", "/add", headers=headers, body=add) == 403
    assert served.request("POST", f"/add?token={token}", body=add) == 403  # the header, not the URL
    assert served.request("POST", "/add", host=f"evil.example:{served.port}",
                          headers={"X-Lettersmith-Token": token}, body=add) == 403
    assert served.brief.read_text(encoding="utf-8") == served.original
    # a source is not a block of the letter: refused, nothing written
    assert served.request("POST", "/add", headers={"X-Lettersmith-Token": token},
                          body=json.dumps({"id": "gao-21-186"})) == 409
    assert served.brief.read_text(encoding="utf-8") == served.original
    assert served.request("POST", "/add", headers={"X-Lettersmith-Token": token}, body=add) == 200
    assert "- argument: end-ice-detainers-liability" in served.brief.read_text(encoding="utf-8")
