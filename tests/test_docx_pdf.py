"""PDF through LibreOffice, and a look at the pages: notes at the page bottom with
the right numbers.  Skips when LibreOffice (soffice) or poppler is not installed."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_docx_support import sample_letter

from lettersmith.errors import LettersmithError
from lettersmith.pdf import docx_to_pdf, find_soffice
from lettersmith.writers.docx import render_docx
from lettersmith.writers.docx.letterhead import LETTERHEADS

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice not installed")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils not installed")
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">'
                   r"([^<]*)</word>")


def pages(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Words with their positions, page by page (y grows downwards)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    out = []
    for page in html.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        out.append([(float(x), float(y) / height, w) for x, y, w in _WORD.findall(page)])
    return out


def texts(pdf: Path) -> list[str]:
    """The text of each page, as pdftotext reads it (superscripts run into words)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def render_pdf(tmp_path: Path, name: str, **kwargs) -> Path:
    letter = {k: kwargs.pop(k) for k in list(kwargs) if k in ("placement", "numbering",
                                                              "congress", "signers")}
    data = render_docx(sample_letter(**letter), **kwargs)
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(docx_to_pdf(data))
    if shutil.which("pdftoppm"):  # pages to look at: tmp_path/<name>-N.png
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / name)],
                       check=True)
    return pdf


@needs_soffice
@needs_poppler
def test_footnotes_sit_at_the_bottom_of_page_one(tmp_path):
    pdf = render_pdf(tmp_path, "letter")
    assert pdf.read_bytes().startswith(b"%PDF")
    first = pages(pdf)[0]
    words = [w for _, _, w in first]
    y_of = {w: y for _, y, w in first}
    # body first, then the notes under it, in the lower part of the page
    assert y_of["Dear"] < 0.4
    note_start = [y for x, y, w in first if w == "ACLU," and y > 0.6]
    assert note_start, words
    # the note numbers 1..6 are there, in order, down the page bottom
    marks = [(y, w) for x, y, w in first if y > note_start[0] - 0.01 and x < 80
             and w[:1].isdigit()]
    assert [w[0] for _, w in sorted(marks)] == list("123456")
    # supra note 1 shows the number of the first note
    text = texts(pdf)[0]
    assert "supra note 1, at 12." in text
    # the references in the text stay where they were (after "crimes.")
    assert "crimes.2" in text


@needs_soffice
@needs_poppler
def test_endnotes_in_roman_after_the_letter(tmp_path):
    pdf = render_pdf(tmp_path, "endnotes", placement="endnotes", numbering="lower-roman",
                     letterhead=LETTERHEADS / "example-org.docx")
    # the endnote page has the letter's own page style (1 in margins, header and
    # page number), not LibreOffice's "Endnote" one: the marks sit at the margin
    marks = [w for x, _, w in pages(pdf)[-1] if x < 80 and re.fullmatch("[ivx]+", w)]
    # pdftotext drops the very first tiny superscript "i" at the top of the page
    # (it is there in the rendered PNG); the rest come in order
    assert [m for m in marks if m != "i"][:5] == ["ii", "iii", "iv", "v", "vi"]
    page_texts = [t for t in texts(pdf) if t]
    last = page_texts[-1]
    assert "supra note i" in last
    first = page_texts[0]
    assert "Coalition for Community Safety" in first  # the letterhead header
    assert "program.i" in first


@needs_soffice
@needs_poppler
def test_page_numbers_start_on_page_two(tmp_path):
    pdf = render_pdf(tmp_path, "numbers")
    all_pages = pages(pdf)
    assert len(all_pages) >= 2
    bottom = [[w for _, y, w in page if y > 0.9] for page in all_pages]
    assert "1" not in bottom[0]
    assert bottom[1] == ["2"]


@needs_soffice
def test_congress_letter_converts(tmp_path):
    pdf = render_pdf(tmp_path, "congress", congress=True)
    assert pdf.stat().st_size > 1000


def test_missing_libreoffice_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("LETTERSMITH_SOFFICE", raising=False)
    with pytest.raises(LettersmithError) as err:
        docx_to_pdf(render_docx(sample_letter()))
    assert "apt-get install libreoffice-writer" in str(err.value)


@needs_soffice
def test_time_limit(tmp_path):
    with pytest.raises(LettersmithError, match="did not finish"):
        docx_to_pdf(render_docx(sample_letter()), time_limit=0.05)
