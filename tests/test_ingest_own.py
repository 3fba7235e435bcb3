"""Ingest of lettersmith's own letters (issue 8, point 4): a built or reviewed .docx
maps its blocks to the library's items instead of drafting duplicates, numbered
lists come back as asks, a bare *Id.* follows the note before it, and tracked
changes are taken as accepted and said so."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from reviewdocs import NEW, REPO, W, build, strip_anchors

from lettersmith.ingest.cites import parse_note
from lettersmith.ingest.make import Ingester
from lettersmith.library import load_library

ARGUMENTS = ["law-enforcement-leaders-oppose-287g", "287g-makes-communities-less-safe",
             "policymakers-reject-287g-public-safety", "287g-empowers-racist-officials",
             "state-mandates-contradict-policing-priorities", "287g-liability-and-doj-findings",
             "wso-liability-and-oversight"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lettersmith")
    assert exe
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build(NEW, tmp_path_factory.mktemp("own"))


@pytest.fixture()
def lib(tmp_path) -> Path:
    """A copy of the shipped library (tests never write into snippets/)."""
    shutil.copytree(REPO / "snippets", tmp_path / "lib" / "snippets")
    return tmp_path / "lib"


@pytest.mark.parametrize("note", ["*Id.*", "Id.", "*Id*.", "Id", "*Id.* at 5.", "Id. at 5",
                                  "*See id.* at 7."])
def test_a_bare_id_note_is_ibid_not_a_source(note):
    [piece] = parse_note(note)
    assert piece.ibid and not piece.source.get("title")


def test_a_bare_id_note_follows_the_previous_source(tmp_path):
    letter = tmp_path / "letter.md"
    letter.write_text(
        "Dear Board:\n\nThe program fails the county in every way we have looked at.[^1] "
        "It costs money and it costs trust, and it makes nobody any safer.[^2]\n\n"
        "Sincerely,\n\nExample Group\n\n"
        "[^1]: Example Research Center, *The Cost of 287(g)*, 2024, https://example.org/cost.\n"
        "[^2]: *Id.*\n", encoding="utf-8")
    (tmp_path / "snippets").mkdir()
    made = Ingester(load_library(tmp_path)).ingest(letter)
    assert [s.get("title") for s in made.sources] == ["The Cost of 287(g)"]
    assert made.note_sources[2] == made.note_sources[1] == [made.sources[0]["id"]]


@pytest.mark.parametrize("anchors", [True, False])
def test_own_letter_maps_to_library_items_and_asks(built, lib, anchors, tmp_path):
    path = built
    if not anchors:  # the text pasted into a fresh document
        path = tmp_path / "pasted.docx"
        path.write_bytes(strip_anchors(built.read_bytes()))
    made = Ingester(load_library(lib)).ingest(path)
    body = [{kind: value} if not isinstance(value, dict) else value for kind, value in made.body]
    result = run("ingest", str(path), "--into", "snippets/in", cwd=lib)
    assert result.returncode == 0, result.stderr
    assert "arguments: 1, quotes: 0 (4 more already in the library)" in result.stdout
    assert "already in the library (not drafted again): 7 arguments" in result.stdout
    assert ("recognized by their text" in result.stdout) is not anchors
    assert "sources: 0 new, 17 already in the library" in result.stdout
    assert [b["argument"] for b in body if "argument" in b][1:] == ARGUMENTS
    assert [b["heading"] for b in body if "heading" in b] == [
        "287(g) endangers public safety", "287(g) invites racial profiling",
        "287(g) exposes the county to liability"]
    asks = body[-1]
    assert asks["intro"] == "We therefore ask the Board to:"
    assert len(asks["asks"]) == 3 and asks["asks"][1].startswith("stop holding people")
    drafted = [p.stem for p in (lib / "snippets" / "in").rglob("*.md")]
    assert len(drafted) == 1 and not set(drafted) & set(ARGUMENTS)


def test_tracked_changes_are_accepted_and_said(built, tmp_path):
    with zipfile.ZipFile(built) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    runs = [r for r in root.iter(W + "r") if r.find(W + "t") is not None]
    old = runs[20]
    deleted = etree.Element(W + "del", {W + "id": "901", W + "author": "Ana"})
    old.addprevious(deleted)
    deleted.append(old)
    old.find(W + "t").tag = W + "delText"
    inserted = etree.Element(W + "ins", {W + "id": "902", W + "author": "Ana"})
    deleted.addnext(inserted)
    new = etree.SubElement(etree.SubElement(inserted, W + "r"), W + "t")
    new.text = "REVIEWER WORDS "
    parts["word/document.xml"] = etree.tostring(root)
    path = tmp_path / "tracked.docx"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    path.write_bytes(out.getvalue())
    result = run("ingest", str(path), "--dry-run", "--library", str(REPO), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "tracked changes taken as accepted: 1 insertions, 1 deletions" in result.stdout
    made = Ingester(load_library(REPO)).ingest(path)
    text = " ".join(made.raw.paragraphs)
    assert "REVIEWER WORDS" in text and old.find(W + "delText").text not in text


@pytest.mark.parametrize("damage", ["no document", "broken xml"])
def test_a_damaged_docx_is_one_clear_error(built, tmp_path, damage):
    with zipfile.ZipFile(built) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    if damage == "no document":
        del parts["word/document.xml"]
    else:
        parts["word/footnotes.xml"] = parts["word/footnotes.xml"][:500]
    path = tmp_path / "damaged.docx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    result = run("ingest", str(path), "--dry-run", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {path}: ") or str(path) in result.stderr
    assert ("no document part" if damage == "no document" else "not well-formed XML") \
        in result.stderr


def test_a_reviewed_block_is_mapped_and_named_as_edited(built, tmp_path):
    from review_edits import Reviewer
    r = Reviewer(built)
    r.rewrite(r.block(3), "Other studies emphasize", "Several studies show")
    edited = r.save(tmp_path / "edited.docx")
    result = run("ingest", str(edited), "--dry-run", "--library", str(REPO), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "already in the library (not drafted again): 7 arguments; edited by a reviewer: " \
        "287g-makes-communities-less-safe (see lettersmith review edited.docx)" in result.stdout


def test_numbered_lines_of_a_text_letter_are_asks(tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear Commissioners:\n\nThe agreement has cost the county dearly, and it "
                      "has bought no safety for anyone who lives here, as every study shows.\n\n"
                      "We therefore ask the Board to:\n\n1. end the agreement;\n\n"
                      "2. publish the numbers.\n\nSincerely,\n\nExample Group\n", encoding="utf-8")
    (tmp_path / "snippets").mkdir()
    made = Ingester(load_library(tmp_path)).ingest(letter)
    assert made.body[-1] == ("asks", {"asks": ["end the agreement;", "publish the numbers."],
                                      "intro": "We therefore ask the Board to:"})
    assert len(made.arguments) == 1
