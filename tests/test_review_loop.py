"""The review loop through the real command: build the example letter, edit it the
way reviewers do (tests/review_edits.py writes the OOXML), then ``review``,
``review --json``, ``--html``, ``--apply brief|library`` and a rebuild."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from review_edits import Reviewer

REPO = Path(__file__).resolve().parents[1]
BRIEF = REPO / "examples" / "briefs" / "new-letter-2026-county-287g.yaml"
VALIDATOR = REPO.parent / "shared" / "tools" / "docx-validate" / "validate_docx.py"
SHERIFFS = "law-enforcement-leaders-oppose-287g"
STUDIES = "287g-makes-communities-less-safe"
DELETED = "287g-liability-and-doj-findings"
NEW_NOTE = ("Jane Roe, \u201cA Brand New Study of Detainers,\u201d Example Institute, May 2025, "
            "https://example.org/new-study.")
OLD_SENTENCE = ("The agreement deputizes county officers to do the federal government\u2019s "
                "immigration work, at the county\u2019s expense and at the cost of the trust on "
                "which public safety depends.")
NEW_SENTENCE = "The agreement turns county deputies into federal immigration agents, at the county\u2019s expense."


def lettersmith(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lettersmith")
    assert exe, "lettersmith is installed"
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def validate(path: Path) -> None:
    if not VALIDATOR.exists():
        pytest.skip("../shared/tools/docx-validate is not there")
    result = subprocess.run([sys.executable, str(VALIDATOR), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    """A copy of the library and the example brief (tests never write into snippets/)."""
    for folder in ("snippets", "templates"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    (tmp_path / "examples" / "briefs").mkdir(parents=True)
    shutil.copy(BRIEF, tmp_path / "examples" / "briefs" / BRIEF.name)
    result = lettersmith("build", f"examples/briefs/{BRIEF.name}", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def brief_of(work: Path) -> Path:
    return work / "examples" / "briefs" / BRIEF.name


def edit(work: Path, built: Path | None = None) -> Path:
    """The reviewer's edits: exactly what the tests below expect to hear back."""
    r = Reviewer(built or work / "out" / f"{BRIEF.stem}.docx")
    sheriffs = r.block(2)
    r.insert(sheriffs, "Sheriffs, ", "deputies, ")  # tracked insertion in a body paragraph
    r.delete(sheriffs, "some of ")  # tracked deletion in a body paragraph
    note = r.footnote_with("Hines and Giovanni Peri")  # the note of block 3 (the IZA study)
    r.insert(note, " ", "This study covers 2008 to 2013. ")  # tracked insertion in a footnote
    r.delete(note, "IZA DP No. 12413")  # tracked deletion in a footnote
    r.rewrite(r.block(0), OLD_SENTENCE, NEW_SENTENCE)  # an untracked rewrite of one sentence
    r.add_paragraph(r.block(3), "Counties that ended their agreements saw no rise in crime.",
                    NEW_NOTE)  # a new paragraph with a new footnote citing a new source
    r.remove(r.block(9))  # a deleted block (with its two notes)
    r.comment(sheriffs, "deputies, ", "Should we name deputies here?", author="Ana Reviewer",
              date="2026-03-05T11:00:00Z")
    r.comment(r.block(6), "most explicitly racist", "Source for this?", author="Bo Staff",
              date="2026-03-06T09:30:00Z", resolved=True)
    return r.save(work / "edited.docx")


def review_json(work: Path, *args: str) -> dict:
    result = lettersmith("review", "edited.docx", "--json", *args, cwd=work)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_review_json_reports_exactly_the_edits(work: Path) -> None:
    validate(edit(work))
    data = review_json(work)
    assert data["file"] == "edited.docx"
    assert data["brief"] == str(brief_of(work).resolve())
    changed = {(b["id"], b["kind"], b["status"]) for b in data["blocks"] if b["status"] != "unchanged"}
    assert changed == {(None, "text", "edited"), (SHERIFFS, "argument", "edited"),
                       (STUDIES, "argument", "edited"), (None, "text", "added"),
                       (DELETED, "argument", "deleted")}
    blocks = {(b["id"], b["status"]): b for b in data["blocks"]}
    assert [b["status"] for b in data["blocks"]][:5] == ["edited", "unchanged", "edited", "edited", "added"]
    first = data["blocks"][0]
    assert first["deleted"] == ["deputizes county officers to do the federal government\u2019s immigration "
                                "work, at the county\u2019s expense and at the cost of the trust on which "
                                "public safety depends."]
    assert first["inserted"] == ["turns county deputies into federal immigration agents, at the county\u2019s expense."]
    sheriffs = blocks[(SHERIFFS, "edited")]
    assert (sheriffs["inserted"], sheriffs["deleted"]) == (["deputies,"], ["some of"])
    assert {c["author"] for c in sheriffs["tracked"]} == {"Ana Reviewer"}
    assert sheriffs["notes"] == []
    (note,) = blocks[(STUDIES, "edited")]["notes"]
    assert (note["status"], note["inserted"], note["deleted"]) == (
        "edited", ["This study covers 2008 to 2013."], ["IZA DP No. 12413"])
    assert blocks[(STUDIES, "edited")]["inserted"] == []
    added = blocks[(None, "added")]
    assert added["inserted"] == ["Counties that ended their agreements saw no rise in crime."]
    assert [(n["status"], n["after"]) for n in added["notes"]] == [("added", NEW_NOTE)]
    assert [n["status"] for n in blocks[(DELETED, "deleted")]["notes"]] == ["removed", "removed"]
    comments = [(b["id"], c["author"], c["date"], c["anchor"], c["text"], c["resolved"])
                for b in data["blocks"] for c in b["comments"]]
    assert comments == [
        (SHERIFFS, "Ana Reviewer", "2026-03-05T11:00:00Z", "deputies, ", "Should we name deputies here?", False),
        ("287g-empowers-racist-officials", "Bo Staff", "2026-03-06T09:30:00Z", "most explicitly racist",
         "Source for this?", True)]
    assert data["comments"] == []


def test_the_same_after_a_libreoffice_resave(work: Path) -> None:
    """A reviewer on LibreOffice saves the file before editing: the same report."""
    from lettersmith.pdf import find_soffice, libreoffice_convert
    if find_soffice() is None:
        pytest.skip("LibreOffice is not installed")
    built = work / "out" / f"{BRIEF.stem}.docx"
    resaved = work / "resaved.docx"
    resaved.write_bytes(libreoffice_convert(built.read_bytes(), "docx"))
    edit(work, resaved)
    data = review_json(work)
    changed = [(b["id"], b["status"], b["inserted"], b["deleted"]) for b in data["blocks"]
               if b["status"] != "unchanged"]
    assert [c[:2] for c in changed] == [(None, "edited"), (SHERIFFS, "edited"), (STUDIES, "edited"),
                                        (None, "added"), (DELETED, "deleted")]
    assert changed[1][2:] == (["deputies,"], ["some of"])
    assert len(data["blocks"]) == 13
    notes = [n["status"] for b in data["blocks"] for n in b["notes"]]
    assert notes == ["edited", "added", "removed", "removed"]
    assert [c["resolved"] for b in data["blocks"] for c in b["comments"]] == [False, True]
    dry = lettersmith("review", "edited.docx", "--apply", "brief", "--dry-run", cwd=work)
    assert dry.returncode == 0, dry.stderr
    assert "+      Sheriffs, deputies, police chiefs and prosecutors are the leading critics" in dry.stdout
    assert "witnesses.[See, e.g., @nilc-law-enforcement-leaders-2013 (dozens of" in dry.stdout
    assert "^[This study covers 2008 to 2013. [@iza-hines-peri-deportations-crime-2019]]" in dry.stdout


def test_text_pasted_into_a_fresh_document_with_built(work: Path) -> None:
    """Every anchor and the record gone: --built gives the record, text finds the blocks."""
    import docx
    built = work / "out" / f"{BRIEF.stem}.docx"
    fresh = docx.Document()
    for para in docx.Document(str(built)).paragraphs:
        fresh.add_paragraph(para.text.replace(OLD_SENTENCE, NEW_SENTENCE))
    fresh.save(str(work / "edited.docx"))
    without = lettersmith("review", "edited.docx", cwd=work)
    assert without.returncode == 1 and "add --built" in without.stderr
    data = review_json(work, "--built", str(built))
    assert len(data["blocks"]) == 12 and {b["mapped_by"] for b in data["blocks"]} == {"text"}
    assert "deleted" not in {b["status"] for b in data["blocks"]}
    first = data["blocks"][0]
    assert first["status"] == "edited" and first["inserted"][0].startswith("turns county deputies")


def test_reject_takes_the_text_before_tracked_changes(work: Path) -> None:
    edit(work)
    data = review_json(work, "--reject")
    blocks = {b["id"]: b for b in data["blocks"] if b["id"]}
    assert blocks[SHERIFFS]["status"] == "unchanged"
    assert blocks[STUDIES]["status"] == "unchanged"
    assert data["blocks"][0]["status"] == "edited"  # an untracked edit is no tracked change


def test_apply_brief_with_reject_keeps_only_untracked_edits(work: Path) -> None:
    edit(work)
    elsewhere = work / "copy.yaml"
    shutil.copy(brief_of(work), elsewhere)
    elsewhere.write_text(elsewhere.read_text(encoding="utf-8").replace("library: ../..", "library: ."),
                         encoding="utf-8")
    dry = lettersmith("review", "edited.docx", "--apply", "brief", "--reject", "--dry-run",
                      "--brief", "copy.yaml", cwd=work)
    assert "+++ b/copy.yaml" in dry.stdout
    assert dry.returncode == 0, dry.stderr
    assert "+      " + NEW_SENTENCE in dry.stdout  # untracked: kept
    assert f"from: {SHERIFFS}" not in dry.stdout and "deputies, police" not in dry.stdout
    assert "This study covers" not in dry.stdout  # a tracked insertion in a note, rejected


def test_terminal_report_and_html_redline(work: Path) -> None:
    edit(work)
    result = lettersmith("review", "edited.docx", "--html", "redline.html", cwd=work)
    assert result.returncode == 0, result.stderr
    assert "13 blocks: 8 unchanged, 3 edited, 1 deleted, 1 added" in result.stdout
    assert "comment by Ana Reviewer, 2026-03-05 (open)" in result.stdout
    page = (work / "redline.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "<ins>deputies,</ins>" in page and "<del>some of</del>" in page
    assert "Should we name deputies here?" in page and "(resolved)" in page


def test_apply_brief_dry_run_then_apply_then_rebuild(work: Path) -> None:
    edit(work)
    brief = brief_of(work)
    before = brief.read_bytes()
    files_before = sorted(p for p in work.rglob("*") if p.is_file())
    dry = lettersmith("review", "edited.docx", "--apply", "brief", "--dry-run", cwd=work)
    assert dry.returncode == 0, dry.stderr
    assert f"+++ b/examples/briefs/{BRIEF.name}" in dry.stdout
    assert "+++ b/snippets/sources/review-edited.yaml" in dry.stdout
    assert brief.read_bytes() == before, "--dry-run writes nothing"
    assert sorted(p for p in work.rglob("*") if p.is_file()) == files_before

    done = lettersmith("review", "edited.docx", "--apply", "brief", cwd=work)
    assert done.returncode == 0, done.stderr
    assert (brief.parent / f"{BRIEF.name}.bak-1").read_bytes() == before, "backed up first"
    text = brief.read_text(encoding="utf-8")
    assert f"from: {SHERIFFS}" in text and f"- argument: {DELETED}" not in text
    assert f"# deleted in review of edited.docx: argument: {DELETED}" in text
    assert "# review of edited.docx: Ana Reviewer (2026-03-05)" in text  # the open comment
    assert "Source for this?" not in text  # the resolved one is not
    assert "# February 2023, government: a county" in text, "the staff's comments stay"
    assert "[@roe-brand-new-study-detainers-2025]" in text
    assert "^[This study covers 2008 to 2013. [@iza-hines-peri-deportations-crime-2019]]" in text
    drafted = (work / "snippets" / "sources" / "review-edited.yaml").read_text(encoding="utf-8")
    assert "id: roe-brand-new-study-detainers-2025" in drafted and "example.org/new-study" in drafted

    # the release quotes the sentence the reviewer rewrote: --apply says so, the user updates it
    assert "press.letter-quotes item 1 quotes words the reviewed letter no longer says" in done.stderr
    assert f"press.letter-quotes item 2 quotes sentence 1 of {STUDIES}" in done.stderr
    brief.write_text(text.replace("words: deputizes county officers to do the federal government\u2019s "
                                  "immigration work", "words: turns county deputies into federal "
                                  "immigration agents"), encoding="utf-8")
    rebuilt = lettersmith("build", f"examples/briefs/{BRIEF.name}", "-o", "out2", "-f", "docx,txt",
                          cwd=work)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "13 notes" in rebuilt.stderr  # 14 - the deleted block's 2 + the new one
    validate(work / "out2" / f"{BRIEF.stem}.docx")
    letter = (work / "out2" / f"{BRIEF.stem}.txt").read_text(encoding="utf-8")
    assert NEW_SENTENCE in letter and OLD_SENTENCE not in letter
    assert "Sheriffs, deputies, police chiefs and prosecutors are the leading critics" in letter
    assert "Counties that ended their agreements saw no rise in crime.[6]" in letter
    notes = letter[letter.index("\nNotes\n"):]
    assert "6.  Jane Roe, \u201cA Brand New Study of Detainers,\u201d" in notes
    assert "5.  This study covers 2008 to 2013. Annie Laurie Hines" in notes
    # the notes after the new one moved up by one: Nowrasteh is note 7, and supra follows it
    assert "7.  See Alex Nowrasteh" in notes
    assert "see Nowrasteh, supra note 7. See also Miroff, supra note 7." in notes
    assert "Assumption of Risk" not in letter  # the deleted block's note is gone
    release = (work / "out2" / f"{BRIEF.stem}-press.txt").read_text(encoding="utf-8")
    assert "turns county deputies into federal immigration agents" in release
    assert "Other studies emphasize that when cities adopt" in release  # from: the text block


def test_apply_library_updates_the_snippet_and_keeps_the_old_text(
        work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LETTERSMITH_HISTORY")  # the tmp library's own file (tests/conftest.py)
    edit(work)
    snippet = next((work / "snippets").rglob(f"{SHERIFFS}.md"))
    before = snippet.read_text(encoding="utf-8")
    dry = lettersmith("review", "edited.docx", "--apply", "library", "--dry-run", cwd=work)
    assert dry.returncode == 0, dry.stderr
    assert "-Sheriffs, police chiefs and prosecutors are some of" in dry.stdout
    assert "+Sheriffs, deputies, police chiefs and prosecutors are the leading" in dry.stdout
    assert snippet.read_text(encoding="utf-8") == before
    done = lettersmith("review", "edited.docx", "--apply", "library", cwd=work)
    assert done.returncode == 0, done.stderr
    after = snippet.read_text(encoding="utf-8")
    front = before[:before.index("---\n", 4) + 4]
    assert after.startswith(front), "front matter kept as written"
    assert "{{ quote(\"leap-2021-end-immediately\") }}" in after, "template code kept"
    assert "Sheriffs, deputies, police chiefs and prosecutors are the leading critics" in after
    assert snippet.with_name(snippet.name + ".bak-1").read_text(encoding="utf-8") == before
    with sqlite3.connect(work / ".lettersmith" / "history.sqlite") as conn:
        kept = conn.execute("SELECT text FROM replaced WHERE item_id = ?", (SHERIFFS,)).fetchall()
    assert kept == [(before,)]
    old = lettersmith("history", "--snippet", SHERIFFS, "--replaced", cwd=work)
    assert old.returncode == 0 and before in old.stdout, old.stderr
    # the original brief now builds the reviewer's wording from the library
    rebuilt = lettersmith("build", f"examples/briefs/{BRIEF.name}", "-o", "out3", "-f", "txt", cwd=work)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Sheriffs, deputies, police chiefs" in (work / "out3" / f"{BRIEF.stem}.txt").read_text()


def test_apply_library_refuses_a_snippet_changed_since_the_build(work: Path) -> None:
    edit(work)
    snippet = next((work / "snippets").rglob(f"{SHERIFFS}.md"))
    changed = snippet.read_text(encoding="utf-8") + "\nA sentence staff added after the build.\n"
    snippet.write_text(changed, encoding="utf-8")
    refused = lettersmith("review", "edited.docx", "--apply", "library", cwd=work)
    assert refused.returncode == 1
    assert "has changed since the letter was built" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert snippet.read_text(encoding="utf-8") == changed
    variant = lettersmith("review", "edited.docx", "--apply", "library", "--as-variant", cwd=work)
    assert variant.returncode == 0, variant.stderr
    new = snippet.with_name(f"{SHERIFFS}-v2.md").read_text(encoding="utf-8")
    assert f"id: {SHERIFFS}-v2" in new and "origin: review of edited.docx" in new
    assert "Sheriffs, deputies, police chiefs" in new
    assert snippet.read_text(encoding="utf-8") == changed, "the staff's change is untouched"
    check = lettersmith("check", "--library", ".", cwd=work)
    assert f"{SHERIFFS}-v2" not in check.stderr, check.stderr
    forced = lettersmith("review", "edited.docx", "--apply", "library", "--force", cwd=work)
    assert forced.returncode == 0, forced.stderr
    assert "Sheriffs, deputies, police chiefs" in snippet.read_text(encoding="utf-8")
    assert snippet.with_name(snippet.name + ".bak-1").read_text(encoding="utf-8") == changed


def test_headings_asks_and_a_second_apply(work: Path) -> None:
    """A heading and an ask edited, a comment on a heading, a new paragraph: applied
    once; applying the same review again changes nothing."""
    r = Reviewer(work / "out" / f"{BRIEF.stem}.docx")
    r.rewrite(r.block(1), "endangers", "threatens")
    ask = r.block(11).getnext().getnext()
    r.rewrite(ask, "ICE detainers", "ICE detainers or requests")
    r.comment(r.block(8), "exposes", "Too strong for the Board?", author="Cy", date="2026-03-07")
    r.add_paragraph(r.block(7), "A new paragraph.", NEW_NOTE)
    r.save(work / "edited.docx")
    first = lettersmith("review", "edited.docx", "--apply", "brief", cwd=work)
    assert first.returncode == 0, first.stderr
    text = brief_of(work).read_text(encoding="utf-8")
    assert "- heading: 287(g) threatens public safety" in text
    assert "- stop holding people in the county jail on ICE detainers or requests; and" in text
    assert "# review of edited.docx: Cy (2026-03-07) on “exposes”: Too strong for the Board?" in text
    assert "A new paragraph.[@roe-brand-new-study-detainers-2025]" in text
    again = lettersmith("review", "edited.docx", "--apply", "brief", cwd=work)
    assert again.returncode == 0, again.stderr
    assert "--apply brief: nothing to change" in again.stderr
    assert brief_of(work).read_text(encoding="utf-8") == text


def test_apply_brief_refuses_a_brief_changed_since_the_build(work: Path) -> None:
    edit(work)
    brief = brief_of(work)
    text = brief.read_text(encoding="utf-8").replace(f"  - argument: {SHERIFFS}", "  - argument: wso-circumvents-state-law")
    brief.write_text(text, encoding="utf-8")
    result = lettersmith("review", "edited.docx", "--apply", "brief", cwd=work)
    assert result.returncode == 1
    assert f"the brief no longer has the argument the letter was built from ({SHERIFFS})" in result.stderr
    assert "--brief" in result.stderr and "Traceback" not in result.stderr
    assert brief.read_text(encoding="utf-8") == text
    assert not list(brief.parent.glob("*.bak-*"))


@pytest.mark.parametrize("kind", ["text", "foreign-docx", "missing"])
def test_bad_input_is_one_clear_message(work: Path, kind: str) -> None:
    if kind == "text":
        (work / "edited.docx").write_text("not a Word file", encoding="utf-8")
        expected = "this is not a Word .docx file"
    elif kind == "foreign-docx":
        import docx
        other = docx.Document()
        other.add_paragraph("Minutes of the garden club: the roses are doing well this year.")
        other.save(str(work / "edited.docx"))
        expected = "holds no lettersmith build record"
    else:
        expected = "no such file"
    result = lettersmith("review", "edited.docx", cwd=work)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: edited.docx: ") and expected in lines[0], result.stderr
    assert len(lines) <= 2 and "Traceback" not in result.stderr


def test_redline_in_chromium(work: Path) -> None:
    """The redline page in real Chromium: three columns that fit, the marks, the comments."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Chromium is not installed")
    edit(work)
    result = lettersmith("review", "edited.docx", "--html", "redline.html", cwd=work)
    assert result.returncode == 0, result.stderr
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto((work / "redline.html").as_uri())
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        headers = page.locator("th").all_inner_texts()
        ins = page.locator("ins").all_inner_texts()
        comments = page.locator(".comment").all_inner_texts()
        browser.close()
    assert widths[0] <= widths[1], "nothing runs off the side"
    assert [h.upper() for h in headers] == ["AS LETTERSMITH WROTE IT", "AS REVIEWED", "COMMENTS"]
    assert "deputies," in ins and "This study covers 2008 to 2013." in " ".join(ins)
    assert len(comments) == 2 and "(resolved)" in comments[1]
