"""Issue 4 through the real command: letterheads, sign-on layouts, provenance,
review comments, and re-builds that never lose a reviewer's edits."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

REPO = Path(__file__).resolve().parents[1]
BRIEFS = REPO / "examples" / "briefs"
NEW = BRIEFS / "new-letter-2026-county-287g.yaml"
CONGRESS = BRIEFS / "2021-02-11-congress-end-entanglement.yaml"
COALITION = BRIEFS / "2023-06-15-coalition-doj-profiling.yaml"


def lettersmith(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lettersmith")
    assert exe, "lettersmith is installed"
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8") if name in z.namelist() else ""


def built(tmp_path: Path, brief: Path, *extra: str) -> Path:
    result = lettersmith("build", str(brief), "-o", str(tmp_path), "-f", "docx", *extra)
    assert result.returncode == 0, result.stderr
    out = tmp_path / f"{brief.stem}.docx"
    printed = result.stdout.split()
    assert printed[0] == str(out)
    # a brief with press: also writes its release beside the letter
    assert printed[1:] in ([], [str(tmp_path / f"{brief.stem}-press.docx")])
    return out


def test_letterhead_header_and_logo_survive(tmp_path: Path) -> None:
    out = built(tmp_path, NEW, "--letterhead", "example-org")
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        headers = " ".join(z.read(n).decode() for n in names if n.startswith("word/header"))
    assert any(n.startswith("word/media/") for n in names), "the logo image is kept"
    assert "<w:titlePg" in part(out, "word/document.xml"), "a different first page"
    reopened = docx.Document(str(out))
    first = reopened.sections[0].first_page_header
    assert first.paragraphs or first.tables
    assert headers.strip()


def test_review_comments_one_per_argument_block(tmp_path: Path) -> None:
    out = built(tmp_path, NEW, "--review")
    comments = part(out, "word/comments.xml")
    blocks = 7  # the seven arguments of the brief
    assert comments.count("<w:comment ") == blocks
    assert "law-enforcement-leaders-oppose-287g" in comments


def test_blocks_are_bookmarked_and_recorded(tmp_path: Path) -> None:
    out = built(tmp_path, NEW)
    body = part(out, "word/document.xml")
    assert "<w:sdt" not in body
    # one hidden bookmark per body item of the brief (12), and the record names them
    assert [f'w:name="_lsb{n}"' in body for n in range(13)] == [True] * 12 + [False]
    record = part(out, "customXml/item1.xml")
    assert "law-enforcement-leaders-oppose-287g" in record
    assert "<w:comment " not in part(out, "word/comments.xml")


def test_signature_blocks_and_columns(tmp_path: Path) -> None:
    congress = built(tmp_path, CONGRESS)
    table_text = [c.text for t in docx.Document(str(congress)).tables
                  for row in t.rows for c in row.cells]
    assert any("Jan Schakowsky" in t and "Member of Congress" in t for t in table_text)
    coalition = built(tmp_path, COALITION)
    assert '<w:cols w:num="' in part(coalition, "word/document.xml")


def test_properties(tmp_path: Path) -> None:
    props = docx.Document(str(built(tmp_path, NEW))).core_properties
    assert props.title == "End the Sheriff\u2019s 287(g) Agreement with ICE"
    assert "287g" in props.keywords
    assert props.created.year == 2026


def test_edited_file_is_never_overwritten(tmp_path: Path) -> None:
    out = built(tmp_path, NEW)
    edited = docx.Document(str(out))
    edited.add_paragraph("A reviewer's note that must not be lost.")
    edited.save(str(out))
    before = out.read_bytes()

    refused = lettersmith("build", str(NEW), "-o", str(tmp_path), "-f", "docx")
    assert refused.returncode == 1
    assert "changed since lettersmith wrote it" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert out.read_bytes() == before

    forced = lettersmith("build", str(NEW), "-o", str(tmp_path), "-f", "docx", "--force")
    assert forced.returncode == 0, forced.stderr
    backup = tmp_path / f"{NEW.stem}.edited-1.docx"
    assert backup.read_bytes() == before, "the backup is the reviewer's file, byte for byte"
    assert out.read_bytes() != before
    again = lettersmith("build", str(NEW), "-o", str(tmp_path), "-f", "docx")
    assert again.returncode == 0, "an unedited file lettersmith wrote is replaced freely"


def test_pdf(tmp_path: Path) -> None:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    result = lettersmith("build", str(NEW), "-o", str(tmp_path), "-f", "pdf")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"{NEW.stem}.pdf").read_bytes()[:5] == b"%PDF-"


def test_sign_on_list_deduplicated_sorted_and_counted(tmp_path: Path) -> None:
    brief = tmp_path / "signers.yaml"
    brief.write_text(
        f"library: {REPO}\nto: dhs-secretary-mayorkas\ndate: 2023-06-15\n"
        "body:\n  - text: We write.\n"
        "signatories:\n  signers: [United We Dream, The Sikh Coalition, ACLU, 'A.C.L.U.',\n"
        "            the sikh coalition, Bend the Arc]\n  sort: true\n  columns: 3\n")
    result = lettersmith("build", str(brief), "-o", str(tmp_path), "-f", "md,docx")
    assert result.returncode == 0, result.stderr
    assert "dropped 2 duplicate signer(s)" in result.stderr
    assert "'A.C.L.U.' (same as 'ACLU')" in result.stderr
    assert "4 signers" in result.stderr
    md = (tmp_path / "signers.md").read_text()
    names = md.split("::: signatures", 1)[1].split(":::", 1)[0].split()
    assert " ".join(names) == "ACLU Bend the Arc The Sikh Coalition United We Dream"
    assert '<w:cols w:num="3"' in part(tmp_path / "signers.docx", "word/document.xml")
