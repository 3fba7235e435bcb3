"""The printed page (issue 11, points 10-14): checks on the .docx XML, and on the
PDF LibreOffice makes of the example letters where only the page can tell."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from lettersmith.pdf import find_soffice

REPO = Path(__file__).resolve().parents[1]
BRIEFS = REPO / "examples" / "briefs"
FIXTURE = Path(__file__).parent / "fixtures" / "basic"
LETTERHEADS = REPO / "src" / "lettersmith" / "letterheads"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
needs_pdf = pytest.mark.skipif(find_soffice() is None or shutil.which("pdftotext") is None,
                               reason="LibreOffice or poppler not installed")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["lettersmith", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def part(docx: Path, name: str) -> str:
    return zipfile.ZipFile(docx).read(name).decode("utf-8")


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def example_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2021 letter (signature blocks) and the February 2023 one (endnotes), to PDF."""
    if find_soffice() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler not installed")
    out = tmp_path_factory.mktemp("printed")
    briefs = [BRIEFS / "2021-02-11-congress-end-entanglement.yaml",
              BRIEFS / "2023-02-21-seven-groups-end-287g.yaml"]
    result = run("build", *map(str, briefs), "-o", str(out), "-f", "docx,pdf", cwd=out)
    assert result.returncode == 0, result.stderr
    return out


@needs_pdf
def test_endnote_pages_are_numbered(example_pdfs: Path) -> None:
    pages = page_texts(example_pdfs / "2023-02-21-seven-groups-end-287g.pdf")
    endnotes = [n for n, text in enumerate(pages, 1) if "Executive Order 14091" in text]
    assert endnotes and endnotes[-1] == len(pages)
    for number, text in enumerate(pages[1:], 2):  # every page from 2, endnotes included
        assert text.split()[-1] == str(number), (number, text[-300:])


@needs_pdf
def test_the_signoff_goes_with_the_first_row_of_signatures(example_pdfs: Path) -> None:
    docx = example_pdfs / "2021-02-11-congress-end-entanglement.docx"
    styles = part(docx, "word/styles.xml")
    block = re.search(r'w:styleId="LetterSignatureBlock">.*?</w:style>', styles).group()
    signoff = re.search(r'w:styleId="LetterSignoff">.*?</w:style>', styles).group()
    assert "<w:keepNext/>" in signoff and "<w:keepNext/>" not in block
    body = part(docx, "word/document.xml")
    table = body[body.index("Sincerely,"):]
    rows = table.count("<w:tr>")
    assert rows >= 8 and table.count("<w:cantSplit/>") >= rows
    pages = page_texts(example_pdfs / "2021-02-11-congress-end-entanglement.pdf")
    signoff_page = next(t for t in pages if "Sincerely," in t)
    assert "Jan Schakowsky" in signoff_page and "enforcement agencies." in signoff_page


def test_the_example_org_logo_fits_its_cell() -> None:
    header = next(part(LETTERHEADS / "example-org.docx", name)
                  for name in zipfile.ZipFile(LETTERHEADS / "example-org.docx").namelist()
                  if name.startswith("word/header") and "graphic" in
                  part(LETTERHEADS / "example-org.docx", name))
    cell = re.search(r"<w:tc>.*?</w:tc>", header, re.S).group()
    assert "<pic:pic" in cell or "a:graphic" in cell
    width = int(re.search(r'<w:gridCol w:w="(\d+)"', header).group(1))  # twips
    margins = re.search(r"<w:tblCellMar>(.*?)</w:tblCellMar>", header)
    assert margins, "without explicit cell margins Word and LibreOffice add 0.075 in a side"
    sides = sum(int(w) for w in re.findall(r'<w:(?:left|right) w:w="(\d+)"', margins.group(1)))
    extent = int(re.search(r'<wp:extent cx="(\d+)"', cell).group(1))  # EMU
    assert extent <= (width - sides) * 635 * 0.9, (extent, width, sides)


@pytest.fixture()
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".lettersmith", "out"))
    return root


def test_straight_quotes_become_typographic_but_not_in_urls_or_code(lib: Path) -> None:
    brief = lib / "brief.yaml"
    brief.write_text(brief.read_text().replace(
        "  - heading: Asks\n",
        "  - text: >-\n      The sheriff's \"partners\" said 'no'; see https://x.example/it's-here"
        " and `don't` (8 U.S.C. 1357(c)).\n  - heading: Asks\n"))
    assert run("build", "brief.yaml", "-f", "md,docx", cwd=lib).returncode == 0
    md = (lib / "out" / "brief.md").read_text()
    assert "The sheriff\u2019s \u201cpartners\u201d said \u2018no\u2019;" in md
    assert "https://x.example/it's-here" in md and "`don't`" in md and "1357(c)" in md
    xml = part(lib / "out" / "brief.docx", "word/document.xml")
    assert "The sheriff\u2019s \u201cpartners\u201d said \u2018no\u2019;" in xml
    assert "it's-here" in xml and "don't" in xml


def test_phone_numbers_do_not_break(lib: Path) -> None:
    brief = lib / "brief.yaml"
    brief.write_text(brief.read_text() + "contact: Call Ana Ruiz at (555) 555-0100 or "
                     "202-555-0142, about the 2021-2023 figures.\n")
    assert run("build", "brief.yaml", "-f", "docx,txt", cwd=lib).returncode == 0
    xml = part(lib / "out" / "brief.docx", "word/document.xml")
    assert ("(555)\u00a0555</w:t><w:noBreakHyphen/><w:t>0100" in xml
            and "202</w:t><w:noBreakHyphen/><w:t>555</w:t><w:noBreakHyphen/><w:t>0142" in xml)
    assert "2021-2023" in xml  # a year range is not a phone number
    txt = (lib / "out" / "brief.txt").read_text()
    assert "(555)\u00a0555-0100 or 202-555-0142" in txt
    from docx import Document
    assert "(555)" in "".join(p.text for p in Document(io.BytesIO(
        (lib / "out" / "brief.docx").read_bytes())).paragraphs)
