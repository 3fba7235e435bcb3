"""``lettersmith ingest``: past letters (.docx from pandoc, .md, the plain-text
copies in tests/past-letters) into draft library files."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lettersmith.ingest.cites import parse_note, same_source
from lettersmith.ingest.text import read_text, roman

sys.path.insert(0, str(Path(__file__).parent))
import measure_ingest  # noqa: E402

LETTERS = Path(__file__).parent / "past-letters"
REPO = Path(__file__).parents[1]

MARKDOWN = """\
February 21, 2023

The Honorable Alejandro Mayorkas\\
Secretary of Homeland Security\\
Washington, DC 20528

Re: End the 287(g) Program

Dear Secretary Mayorkas,

Courts have made clear that ICE detainers have serious legal flaws.[^1] A group of 120 law
enforcement professionals wrote you urging that "the 287(g) program needs to end immediately
in order to increase crime reporting."[^2]

Detainers expose counties to liability, as the settlement in Los Angeles shows.[^3] The program
also harms public health.^[A recent report found this. See Nick Miroff, "Study finds no crime
increase in cities that adopted 'sanctuary' policies," *Washington Post*, Oct. 21, 2020,
https://www.washingtonpost.com/national/sanctuary-city-study/.]

Thank you for your time.

Sincerely,

American Civil Liberties Union\\
United We Dream

[^1]: *See* *Gonzalez v. ICE*, 975 F.3d 788, 790 (9th Cir. 2020).
[^2]: Law Enforcement Action Partnership to Secretary Alejandro Mayorkas, "Strengthening Public
    Safety in Immigrant Communities," March 17, 2021,
    https://lawenforcementactionpartnership.org/immigrant-trust/.
[^3]: Alene Tchekmedyian, "LA county to payout $14 million over unlawful immigration holds,"
    *Los Angeles Times*, October 13, 2020, https://www.latimes.com/california/story/2020-10-13/holds.
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["lettersmith", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture()
def pandoc_docx(tmp_path: Path) -> Path:
    pypandoc = pytest.importorskip("pypandoc")
    out = tmp_path / "input" / "past-letter.docx"
    out.parent.mkdir()
    pypandoc.convert_text(MARKDOWN, "docx", format="md", outputfile=str(out))
    return out


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def test_docx_from_pandoc_end_to_end(tmp_path: Path, pandoc_docx: Path) -> None:
    lib = tmp_path / "lib"
    (lib / "snippets").mkdir(parents=True)
    result = run("ingest", str(pandoc_docx), "--into", "snippets/ingested", cwd=lib)
    assert result.returncode == 0, result.stderr
    assert "letter: 2023-02-21, to The Honorable Alejandro Mayorkas" in result.stdout
    assert "notes: 4 (arabic), 4 citations" in result.stdout
    folder = lib / "snippets" / "ingested" / "past-letter"
    sources = {s["id"]: s for s in load(folder / "sources.yaml")["sources"]}
    case = next(s for s in sources.values() if s["type"] == "legal_case")
    assert case == {"id": case["id"], "type": "legal_case", "title": "Gonzalez v. ICE",
                    "container-title": "F.3d", "authority": "9th Cir.", "volume": 975, "page": 788,
                    "issued": {"date-parts": [[2020]]}}
    times = next(s for s in sources.values() if s.get("container-title") == "Los Angeles Times")
    assert times["type"] == "article-newspaper"
    assert times["author"] == [{"family": "Tchekmedyian", "given": "Alene"}]
    assert times["issued"] == {"date-parts": [[2020, 10, 13]]}
    leap = next(s for s in sources.values() if s["type"] == "letter")
    assert leap["author"] == [{"literal": "Law Enforcement Action Partnership"}]
    assert leap["URL"] == "https://lawenforcementactionpartnership.org/immigrant-trust/"
    arguments = sorted((folder / "arguments").glob("*.md"))
    assert len(arguments) == 2
    first = next(p.read_text() for p in arguments if "Courts have" in p.read_text())
    assert f"[See @{case['id']}, at 790]" in first
    assert "origin: 2023-02-21 letter to The Honorable Alejandro Mayorkas (past-letter.docx)" in first
    second = next(p.read_text() for p in arguments if "Detainers expose" in p.read_text())
    assert "^[A recent report found this. [See @miroff-" in second
    quotes = load(folder / "quotes.yaml")["quotes"]
    assert quotes[0]["speaker"] == "A group of 120 law enforcement professionals"
    assert quotes[0]["source"] == leap["id"]
    people = load(folder / "people.yaml")
    assert people["recipients"][0]["address"] == ["Washington, DC 20528"]
    assert people["signatories"][0]["signers"] == ["American Civil Liberties Union", "United We Dream"]
    check = run("check", "--library", cwd=lib)  # the drafts are a valid library
    assert "0 error(s)" in check.stdout, check.stderr


def test_never_overwrites_and_matches_what_is_there(tmp_path: Path, pandoc_docx: Path) -> None:
    lib = tmp_path / "lib"
    (lib / "snippets").mkdir(parents=True)
    assert run("ingest", str(pandoc_docx), "--into", "snippets/in", cwd=lib).returncode == 0
    before = {p: p.read_bytes() for p in (lib / "snippets").rglob("*") if p.is_file()}
    again = run("ingest", str(pandoc_docx), "--into", "snippets/in", cwd=lib)
    assert again.returncode == 0, again.stderr
    assert "sources: 0 new, 4 already in the library" in again.stdout
    assert all(p.read_bytes() == data for p, data in before.items())
    second = lib / "snippets" / "in" / "past-letter-2"
    assert not (second / "sources.yaml").exists()
    # the arguments the first run drafted are recognized by their text, not drafted again
    assert "already in the library (not drafted again): 2 arguments (2 recognized by their " \
        "text)" in again.stdout
    ids = [p.stem for p in (lib / "snippets").rglob("*.md")]
    assert len(ids) == len(set(ids)) == 2
    assert "0 error(s)" in run("check", "--library", cwd=lib).stdout


def test_draft_brief_rebuilds_the_letter(tmp_path: Path, pandoc_docx: Path) -> None:
    lib = tmp_path / "lib"
    (lib / "snippets").mkdir(parents=True)
    result = run("ingest", str(pandoc_docx), "--briefs", "briefs", cwd=lib)
    assert result.returncode == 0, result.stderr
    brief = lib / "briefs" / "past-letter.yaml"
    data = load(brief)
    assert data["library"] == ".." and data["to"] == "mayorkas-secretary"
    assert str(data["date"]) == "2023-02-21" and data["subject"] == "End the 287(g) Program"
    assert [list(b) for b in data["body"]] == [["argument"], ["argument"]]
    built = run("build", "briefs/past-letter.yaml", "-f", "md", "-o", "out", cwd=lib)
    assert built.returncode == 0, built.stderr
    text = (lib / "out" / "past-letter.md").read_text()
    assert text.count("\n[^") == 4 and "Gonzalez v. ICE*, 975 F.3d 788, 790 (9th Cir. 2020)" in text
    assert run("ingest", str(pandoc_docx), "--briefs", "briefs", cwd=lib).returncode == 0
    assert (lib / "briefs" / "past-letter-2.yaml").exists() and load(brief) == data


def test_markdown_reader(tmp_path: Path) -> None:
    letter = tmp_path / "letter.md"
    letter.write_text(MARKDOWN)
    result = run("ingest", str(letter), "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "notes: 4 (arabic), 4 citations" in result.stdout
    assert not (tmp_path / "snippets").exists()


@pytest.mark.parametrize("letter", sorted(LETTERS.glob("*.txt")), ids=lambda p: p.stem)
def test_each_past_letter(tmp_path: Path, letter: Path) -> None:
    (tmp_path / "snippets").mkdir()
    result = run("ingest", str(letter), "--into", "snippets/ingested", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    check = run("check", "--library", cwd=tmp_path)
    assert "0 error(s)" in check.stdout, check.stderr


def test_past_letters_against_the_library() -> None:
    """The repository's library was extracted from these letters: ingesting them
    again must find their sources there rather than duplicate them."""
    result = run("ingest", *map(str, sorted(LETTERS.glob("*.txt"))), "--dry-run", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "sources: 0 new, 22 already in the library" in result.stdout  # the 2021 letter
    assert "to The Honorable Alejandro Mayorkas [dhs-secretary-mayorkas]" in result.stdout
    assert "signatories: 7 signers" in result.stdout  # the run-together names, split


def test_accuracy_figures() -> None:
    """The figures in tests/INGEST.md, kept from sliding back."""
    scores = measure_ingest.measure_all()
    total = {k: sum(getattr(s, k) for s in scores) for k in
             ("notes", "notes_found", "notes_right", "sources", "sources_found", "sources_right")}
    assert total["notes_found"] >= 110 and total["notes_right"] >= 104, total
    assert total["sources_found"] >= 135 and total["sources_right"] >= 105, total
    pdf = [s for s in scores if s.name.endswith("(LibreOffice PDF of the rebuilt letter)")]
    assert sum(s.notes_found for s in pdf) == sum(s.notes for s in pdf) == 33


# ------------------------------------------------------------------ pieces


def test_roman() -> None:
    assert [roman(x) for x in ("i", "iv", "ix", "xiv", "xl")] == [1, 4, 9, 14, 40]
    assert roman("iiii") is None and roman("vx") is None


@pytest.mark.parametrize("text, notes, marks", [
    ("Body text.1 More text.2\n1 First note, https://a.org/x.\n2 Second note.\n", 2, 2),
    ("Body text.¹ More.²\n\n¹ First note.\n² Second note.\n", 2, 2),
    ("Body text. i More text. ii End.\n\ni See first.\nii See second.\n", 2, 2),
])
def test_plain_text_note_forms(tmp_path: Path, text: str, notes: int, marks: int) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(text)
    doc = read_text(path)
    assert len(doc.notes) == notes
    assert sum(p.count("[^") for p in doc.paragraphs) == marks
    assert doc.notes[1].text.startswith(("First", "See first"))


def test_citation_forms() -> None:
    pieces = parse_note("See, e.g., Spencer Amdur, “Florida Sheriff Worked With ICE,” ACLU, Dec. 3, "
                        "2018, https://www.aclu.org/blog/x; see also Gonzalez v. ICE, 975 F.3d 788, "
                        "790 (9th Cir. 2020).")
    assert [p.signal for p in pieces] == ["See, e.g.,", "See also"]
    assert pieces[0].source["author"] == [{"family": "Amdur", "given": "Spencer"}]
    assert pieces[0].source["issued"] == {"date-parts": [[2018, 12, 3]]}
    assert pieces[1].locator == "790" and pieces[1].source["authority"] == "9th Cir."
    ibid = parse_note("*Id.* at 5.")
    assert ibid[0].ibid and ibid[0].locator == "5"
    assert parse_note("ACLU, *supra* note 3.")[0].supra == 3
    prose = parse_note("A recent ACLU report found most agencies profile. ACLU, *License to Abuse*, "
                       "2022, https://www.aclu.org/report/x.")
    assert prose[0].prose and prose[1].source["title"] == "License to Abuse"


def test_matching_by_url_or_title() -> None:
    a = {"title": "License to Abuse: How ICE's 287(g) Program Empowers Racist Sheriffs",
         "URL": "https://www.aclu.org/report/x"}
    assert same_source(a, {"title": "other", "URL": "http://aclu.org/report/x/"})
    assert same_source(a, {"title": "License to Abuse: How ICE’s 287(g) Program Empowers Racist"
                                    " Sheriffs and Civil Rights Violations"})
    assert not same_source({"title": "Executive Order 14091, Further Advancing Racial Equity"},
                           {"title": "Executive Order 13985, Advancing Racial Equity"})


def test_bad_input(tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    result = run("ingest", str(pdf), cwd=tmp_path)
    assert result.returncode == 1 and "cannot read this PDF" in result.stderr
    fake = tmp_path / "letter.docx"
    fake.write_text("not a zip")
    result = run("ingest", str(fake), cwd=tmp_path)
    assert result.returncode == 1 and "not a Word (.docx) file" in result.stderr
    assert run("ingest", "missing.txt", cwd=tmp_path).returncode == 2


# ------------------------------------------------------------------ PDF (pdfplumber)

PDFS = Path(__file__).parent / "fixtures" / "pdf"


def test_pdf_end_to_end_footnotes(tmp_path: Path) -> None:
    """LibreOffice's PDF of the rebuilt 2021 letter: notes by their raised, smaller marks."""
    lib = tmp_path / "lib"
    (lib / "snippets").mkdir(parents=True)
    pdf = PDFS / "2021-02-11-congress-end-entanglement.pdf"
    result = run("ingest", str(pdf), "--into", "snippets/ingested", cwd=lib)
    assert result.returncode == 0, result.stderr
    assert "letter: 2021-02-11, to The Honorable Alejandro Mayorkas" in result.stdout
    assert "notes: 16 (arabic)" in result.stdout and "no notes found" not in result.stderr
    folder = lib / "snippets" / "ingested" / pdf.stem
    sources = load(folder / "sources.yaml")["sources"]
    memo = next(s for s in sources if "Interim Revision" in s.get("title", ""))
    assert memo["title"].startswith("Review of and Interim Revision")  # italics from the font
    signers = load(folder / "people.yaml")["signatories"][0]["signers"]
    assert "Jan Schakowsky" in str(signers) and "Jesús G. “Chuy” García" in str(signers)
    assert run("check", "--library", cwd=lib).returncode == 0


def test_pdf_roman_endnotes_against_the_library(tmp_path: Path) -> None:
    pdf = PDFS / "2023-02-21-seven-groups-end-287g.pdf"
    result = run("ingest", str(pdf), "--into", str(tmp_path / "drafts"), "--library",
                 str(measure_ingest.REPO), "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "notes: 14 (lower-roman)" in result.stdout
    assert "already in the library" in result.stdout


def test_a_letter_without_notes_says_so(tmp_path: Path) -> None:
    text = subprocess.run(["pdftotext", str(PDFS / "2023-06-15-coalition-doj-profiling.pdf"),
                           str(tmp_path / "copied.txt")], capture_output=True)
    if text.returncode != 0:
        pytest.skip("pdftotext (poppler) not installed")
    (tmp_path / "snippets").mkdir()
    result = run("ingest", "copied.txt", "--dry-run", cwd=tmp_path)
    assert result.returncode == 0
    if "notes: 0" in result.stdout:
        assert "no notes found" in result.stderr and "ingest the .pdf" in result.stderr
    plain = tmp_path / "plain.md"
    plain.write_text("Dear Board,\n\nWe write with no sources at all.\n\nSincerely,\n\nA Group\n")
    none = run("ingest", "plain.md", "--dry-run", cwd=tmp_path)
    assert "notes: 0" in none.stdout and "warning: plain.md: no notes found" in none.stderr


def test_not_a_pdf(tmp_path: Path) -> None:
    (tmp_path / "fake.pdf").write_text("not a pdf at all")
    result = run("ingest", "fake.pdf", "--dry-run", cwd=tmp_path)
    assert result.returncode == 1 and "fake.pdf" in result.stderr
    assert "Traceback" not in result.stderr
