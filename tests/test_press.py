"""The press release built with the letter (issue 12), through the real command.

The June 14, 2023 release in tests/past-letters/ announced the June 15 coalition
letter; examples/briefs/2023-06-15-coalition-doj-profiling.yaml builds both. The
rebuilt release is compared with the original paragraph by paragraph, normalized
as tests/test_fidelity.py does, and its counts and names with the letter's list.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from lettersmith.cli import main
from lettersmith.press.counts import about

from test_fidelity import VALIDATOR, lettersmith_command, normalize

ROOT = Path(__file__).resolve().parents[1]
PAST = Path(__file__).resolve().parent / "past-letters"
ORIGINAL = PAST / "2023-06-14-press-release-reassess-287g.txt"
BRIEF = "2023-06-15-coalition-doj-profiling"

# Three slips of the original release, corrected before comparing (each must be in
# it): the rebuilt release writes the comma before "said", and quotes the letter's
# own word, which the release misspelled.
ORIGINAL_SLIPS = {
    "racist policing practices\u201d said": "racist policing practices,\u201d said",
    "public institutions, \u201d said": "public institutions,\u201d said",
    "rightwing idealogues": "rightwing ideologues",
}


def copy_library(tmp_path: Path) -> Path:
    """The shipped library and the example briefs, copied (tests never write into them)."""
    root = tmp_path / "lib"
    shutil.copytree(ROOT / "snippets", root / "snippets")
    shutil.copytree(ROOT / "examples", root / "examples")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, str]:
    """The letter and its release, built once by the real command (md and docx)."""
    tmp = tmp_path_factory.mktemp("press")
    root = copy_library(tmp)
    out = tmp / "out"
    result = subprocess.run(lettersmith_command() + [
        "build", str(root / "examples" / "briefs" / f"{BRIEF}.yaml"), "-o", str(out),
        "-f", "md,docx,txt,html"], capture_output=True, text=True, cwd=tmp, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    printed = result.stdout.split()
    assert str(out / f"{BRIEF}-press.docx") in printed
    files = {p.name: p for p in out.iterdir()}
    return {"out": str(out), **{name: path.read_text(encoding="utf-8")
                                for name, path in files.items() if path.suffix != ".docx"}}


def paragraph(line: str) -> str:
    """normalize() of test_fidelity, except that the closing ### is kept (it would
    read it as a heading mark)."""
    return "###" if line.replace("\\", "").strip() == "###" else normalize(line)


def original_paragraphs() -> list[str]:
    text = ORIGINAL.read_text(encoding="utf-8")
    for slip, fixed in ORIGINAL_SLIPS.items():
        assert slip in text, f"the original no longer has the slip {slip!r}"
        text = text.replace(slip, fixed)
    return [paragraph(line) for line in text.splitlines() if line.strip()]


def release_paragraphs(markdown: str) -> list[str]:
    """The release's paragraphs as a reader sees them (a part's lines split apart)."""
    out = []
    for block in re.split(r"\n\s*\n", markdown):
        lines = [l for l in block.splitlines() if not l.startswith(":::")]
        for line in "\n".join(lines).replace("\\\n", "\n").split("\n"):
            if line.strip():
                out.append(paragraph(line))
    return out


def test_the_release_comes_back_paragraph_by_paragraph(built):
    original = original_paragraphs()
    rebuilt = release_paragraphs(built[f"{BRIEF}-press.md"])
    # The heading block: release line, date, contacts, headline.
    headline = normalize("Immigrants’ Rights Organizations Urge Homeland Security Secretary "
                         "to Reassess 287(g) Following New Racial Profiling Guidance")
    assert original[1] == headline  # after the web page's "Visual Overlay" furniture
    start = original.index("FOR IMMEDIATE RELEASE")
    head = original[start:start + 5]
    assert rebuilt[:6] == head + [headline]
    # The body: dateline and lead, the letter's quotations, five spokespeople's
    # quotes, the background, and the closing ###.
    body_start = next(i for i, p in enumerate(original) if p.startswith("WASHINGTON"))
    body = original[body_start:]
    assert body[-1] == "###"
    assert rebuilt[6:] == body
    said = [p for p in rebuilt if re.search(r'," said [A-Z]', p)]
    assert len(said) == 5


def test_counts_and_names_agree_with_the_letters_list(built):
    letter = built[f"{BRIEF}.md"]
    signatures = letter.split("::: signatures", 1)[1].split(":::", 1)[0]
    signers = [re.sub(r"\\(.)", r"\1", l.rstrip("\\").strip())
               for l in signatures.splitlines()[1:] if l.strip()]
    assert len(signers) == 102
    release = built[f"{BRIEF}-press.txt"]
    assert f"{about(len(signers)).capitalize()} civil and immigrants" in release
    named = re.search(r"which include (.*), and (\S+ \d+) other organizations —", release)
    assert named, release
    names = named.group(1).split(", ")
    assert named.group(2) == about(len(signers) - len(names)) == "nearly 100"
    keys = {re.sub(r"\W|^the", "", re.sub(r"\s*\(.*\)$", "", s).lower()) for s in signers}
    for name in names:
        assert re.sub(r"\W|^the", "", re.sub(r"\s*\(.*\)$", "", name).lower()) in keys, name


def test_every_format_of_the_release(built):
    html = built[f"{BRIEF}-press.html"]
    assert '<div class="press-headline">' in html and "###" in html
    txt = built[f"{BRIEF}-press.txt"]
    assert txt.startswith("FOR IMMEDIATE RELEASE\n\nJune 14, 2023\n\nCONTACT:\nACLU: ")
    assert "WASHINGTON — More than 100" in txt and txt.rstrip().endswith("###")


def test_the_word_release_has_its_styles_and_is_valid(built):
    import docx

    path = Path(built["out"]) / f"{BRIEF}-press.docx"
    word = docx.Document(str(path))
    styles = [p.style.name for p in word.paragraphs if p.text.strip()]
    assert styles[:4] == ["Press Release Line", "Press Date", "Press Contact", "Press Headline"]
    assert styles[4] == "Press Dateline" and styles[-1] == "Press End"
    assert set(styles[5:-1]) == {"Press Body"}
    assert word.paragraphs[0].text == "FOR IMMEDIATE RELEASE"
    assert word.core_properties.title.startswith("Immigrants’ Rights Organizations Urge")
    if VALIDATOR.is_file():
        check = subprocess.run([sys.executable, str(VALIDATOR), str(path)], capture_output=True,
                               text=True, timeout=120)
        assert check.returncode == 0, check.stdout + check.stderr


# ------------------------------------------------------------ the rounding rule


@pytest.mark.parametrize("n, said", [
    (7, "seven"), (14, "14"), (20, "20"), (28, "nearly 30"), (44, "more than 40"),
    (47, "nearly 50"), (94, "nearly 100"), (100, "100"), (102, "more than 100"),
    (140, "nearly 150"), (1234, "more than 1,000"), (1480, "nearly 1,500")])
def test_the_rounding_rule(n, said):
    assert about(n) == said


@given(st.integers(min_value=0, max_value=100_000))
def test_a_rounded_count_is_never_wrong(n):
    said = about(n)
    figure = int(re.sub(r"\D", "", said) or 0) if said[-1].isdigit() else None
    if said.startswith("more than "):
        assert figure < n
    elif said.startswith("nearly "):
        assert 0.9 * figure <= n < figure
    elif figure is not None:
        assert figure == n
    assert about(n, rounded=False).replace(",", "") in (str(n), said)


# ------------------------------------------------------------ check and errors


PRESS_BRIEF = """\
library: {lib}
date: 2026-01-10
to: dhs-secretary-mayorkas
subject: Test
body:
  - text: We write to ask you to end the 287(g) program. It has failed.
  - asks: [end the 287(g) program;, "stop honoring ICE detainers [@aclu-license-to-abuse-2022]."]
signatories: coalition-2023-06-15
press:
  headline: Groups Ask DHS to End 287(g)
  dateline: WASHINGTON
  signers: {{describe: organizations, name: 3, first: [United We Dream]}}
  letter-quotes:
    - words: It has failed.
  body:
    - quote: leap-2021-end-immediately
    - said: We mean it.
      speaker: Jane Doe
    - text: "{{{{ fact('agencies-in-287g-2022') }}}} took part in 2022."
"""


def write_brief(tmp_path: Path, text: str) -> Path:
    root = copy_library(tmp_path)
    path = root / "examples" / "briefs" / "test.yaml"
    path.write_text(text.format(lib="../.."), encoding="utf-8")
    return path


def test_check_flags_a_quote_without_title_and_a_stale_fact(tmp_path):
    brief = write_brief(tmp_path, PRESS_BRIEF)
    result = CliRunner().invoke(main, ["check", str(brief)])
    assert result.exit_code == 0, result.output
    assert "quote 'leap-2021-end-immediately' is in the press release, but its speaker" in result.output
    assert "quotes 'Jane Doe' without a title" in result.output
    assert re.search(r"fact 'agencies-in-287g-2022' is stale: as of 2022-04-01, .* before 2026-01-10",
                     result.output)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(brief), "-o", str(out), "-f", "txt"])
    assert result.exit_code == 0, result.output
    text = (out / "test-press.txt").read_text(encoding="utf-8")
    assert "More than 100 organizations are calling on Secretary of Homeland Security " \
           "Alejandro Mayorkas to end the 287(g) program and stop honoring ICE detainers." in text
    assert ("which include United We Dream, ACLU People Power Fairfax, African Communities "
            "Together (ACT), and nearly 100 other organizations — write, \u201cIt has failed.\u201d") in text
    assert "said 120 law enforcement professionals." in text
    assert "\u201cWe mean it,\u201d said Jane Doe." in text
    assert "142 law enforcement agencies took part in 2022." in text


@pytest.mark.parametrize("change, message", [
    ("first: [United We Dream]", "first: [United We Drem]"),
    ("- words: It has failed.", "- words: It has succeeded."),
    ("  dateline: WASHINGTON", "  datline: WASHINGTON"),
    ("- quote: leap-2021-end-immediately", "- quote: leap-2021-end-immediatly"),
])
def test_release_mistakes_end_with_one_message(tmp_path, change, message):
    brief = write_brief(tmp_path, PRESS_BRIEF.replace(change, message))
    result = CliRunner().invoke(main, ["build", str(brief), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert re.search(r"test\.yaml:\d+: ", result.output), result.output
    assert not (tmp_path / "out").exists(), "a failed build writes nothing"
    hints = {"Drem": "did you mean 'United We Dream'", "succeeded": "does not say",
             "datline": "did you mean 'dateline'", "immediatly": "did you mean 'leap-2021-end-immediately'"}
    assert next(v for k, v in hints.items() if k in message) in result.output


def test_a_library_template_replaces_the_shipped_one(tmp_path):
    brief = write_brief(tmp_path, PRESS_BRIEF)
    templates = brief.parents[2] / "templates"
    templates.mkdir()
    (templates / "press-release.md.j2").write_text(
        "::: press-headline\n{{ headline | md }}\n:::\n\n{{ signers.about | capfirst }} "
        "groups wrote to {{ recipient_short }}.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(brief), "-o", str(out), "-f", "txt"])
    assert result.exit_code == 0, result.output
    assert (out / "test-press.txt").read_text(encoding="utf-8") == \
        "Groups Ask DHS to End 287(g)\n\nMore than 100 groups wrote to Secretary Mayorkas.\n"


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None
                    or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing")
def test_the_release_in_pdf_reads_like_a_press_release(built, tmp_path):
    """The Word release through LibreOffice: the release line on top, the headline
    before the dateline, ### last; and a LibreOffice re-save keeps the styles."""
    from lettersmith.pdf import docx_to_pdf

    path = Path(built["out"]) / f"{BRIEF}-press.docx"
    pdf = tmp_path / "release.pdf"
    pdf.write_bytes(docx_to_pdf(path.read_bytes()))
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    first = " ".join(pages[0].split())
    assert first.startswith("FOR IMMEDIATE RELEASE June 14, 2023 CONTACT:")
    assert first.index("Reassess 287(g)") < first.index("WASHINGTON — More than 100")
    assert [p for p in pages if p.strip()][-1].split()[-1] in ("###", "2")
    assert "###" in [p for p in pages if p.strip()][-1]
    # LibreOffice's own .docx keeps the Press styles by name.
    import docx

    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"  # a private profile
    resaved = subprocess.run(["soffice", profile, "--headless", "--convert-to", "docx", "--outdir",
                              str(tmp_path / "resaved"), str(path)], capture_output=True,
                             text=True, timeout=180)
    assert resaved.returncode == 0, resaved.stderr
    names = {p.style.name for p in docx.Document(str(tmp_path / "resaved" / path.name)).paragraphs}
    assert {"Press Headline", "Press Dateline", "Press Body", "Press End"} <= names


def test_new_from_a_brief_with_a_release_dates_both_today(tmp_path):
    import datetime as dt

    root = copy_library(tmp_path)
    old = root / "examples" / "briefs" / f"{BRIEF}.yaml"
    new = root / "examples" / "briefs" / "next.yaml"
    result = CliRunner().invoke(main, ["new", str(new), "--from", str(old)])
    assert result.exit_code == 0, result.output
    today = dt.date.today().isoformat()
    dates = re.findall(r"^\s*date: (\S+)", new.read_text(encoding="utf-8"), re.M)
    assert dates == [today, today]


def test_one_signer_is_named_and_none_is_an_error(tmp_path):
    one = PRESS_BRIEF.replace("signatories: coalition-2023-06-15", "signatories: [Example Org]")
    one = one.replace("  signers: {{describe: organizations, name: 3, first: [United We Dream]}}\n", "")
    brief = write_brief(tmp_path, one)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(brief), "-o", str(out), "-f", "txt"])
    assert result.exit_code == 0, result.output
    text = (out / "test-press.txt").read_text(encoding="utf-8")
    assert "WASHINGTON — Example Org is calling on Secretary of Homeland Security" in text
    assert "today, Example Org writes, \u201cIt has failed.\u201d" in text
    brief.write_text(brief.read_text(encoding="utf-8").replace("signatories: [Example Org]\n", ""),
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(brief), "-o", str(out), "-f", "txt"])
    assert result.exit_code == 1
    assert "test.yaml:" in result.output and "this letter has none" in result.output


def test_history_remembers_the_releases_quotes(tmp_path):
    brief = write_brief(tmp_path, PRESS_BRIEF)
    result = CliRunner().invoke(main, ["build", str(brief), "-o", str(tmp_path / "out"), "-f", "md"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["history", "--drafts", "--snippet",  # builds, not sent
                                       "leap-2021-end-immediately",
                                       "--library", str(brief.parents[2])])
    assert result.exit_code == 0, result.output
    assert "out/test-press.md" in result.output, result.output
    assert "used quote leap-2021-end-immediately" in result.output
