"""What a new user tripped on (issue 11, points 3-8), through the real command."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "basic"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["lettersmith", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture()
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".lettersmith", "out"))
    return root


def set_brief(lib: Path, old: str, new: str) -> None:
    brief = lib / "brief.yaml"
    text = brief.read_text()
    assert old in text
    brief.write_text(text.replace(old, new))


def test_cc_id_typo_is_an_error_with_the_closest_id(lib: Path) -> None:
    set_brief(lib, "cc: [Tae Johnson, Acting Director]", "cc: [secretery-of-dhs, Tae Johnson]")
    for command in ("check", "build"):
        result = run(command, "brief.yaml", cwd=lib)
        assert result.returncode == 1
        assert "brief.yaml:16: no recipient with id 'secretery-of-dhs'" in result.stderr
        assert "did you mean 'secretary'?" in result.stderr
    assert not (lib / "out").exists()
    set_brief(lib, "secretery-of-dhs", "secretary")
    assert run("build", "brief.yaml", "-f", "txt", cwd=lib).returncode == 0
    text = (lib / "out" / "brief.txt").read_text()
    assert "The Honorable Alejandro Mayorkas, Secretary" in text and "Tae Johnson" in text


def test_check_reports_every_error_in_one_run(lib: Path) -> None:
    (lib / "brief.yaml").write_text(
        "library: .\nto: secretar\ndate: 2023-02-21\nsubjet: End 287(g)\nbody:\n"
        "  - text: We write.[@aclu-reprt]\n  - argument: ws\n  - asks: [end it]\n    intr: Asks\n"
        "signatories: grups\ntemplate: leter\nnotes: {placement: endnote}\n"
        "cc: [example-county-sherif]\n")
    result = run("check", "brief.yaml", cwd=lib)
    assert result.returncode == 1 and "9 error(s)" in result.stdout
    lines = [l for l in result.stderr.splitlines() if l.startswith("error: ")]
    assert [l.split(":")[2] for l in lines] == ["2", "4", "6", "7", "9", "10", "11", "12", "13"]
    for hint in ("'subject'", "footnotes, endnotes", "'intro'",
                 "'secretary'", "'groups'", "'letter'", "'aclu-report'", "'wso'"):
        assert hint in result.stderr


def test_a_library_file_in_the_wrong_shape_gives_its_reason(lib: Path) -> None:
    (lib / "snippets" / "people.yaml").write_text("- id: sheriff\n  name: Sheriff Jones\n")
    set_brief(lib, "to: secretary", "to: sheriff")
    result = run("build", "brief.yaml", cwd=lib)
    assert result.returncode == 1
    assert "snippets/people.yaml:1: a library file must be a mapping with lists under" in result.stderr


def test_outside_a_library(tmp_path: Path) -> None:
    brief = tmp_path / "governor.yaml"
    brief.write_text("to: governor-smith\nbody:\n  - text: We write.\n")
    result = run("build", "governor.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "the current folder is not a library (it has no snippets/ folder)" in result.stderr
    assert "set library: in the brief" in result.stderr and "--library DIR" in result.stderr
    fresh = run("new", "next.yaml", cwd=tmp_path)
    assert fresh.returncode == 0 and "$schema" not in (tmp_path / "next.yaml").read_text()


def test_uppercase_ids_are_rejected_with_the_fix_and_never_suggested(lib: Path) -> None:
    shutil.copy(lib / "snippets" / "wso.md", lib / "snippets" / "AIC_287g_Overview.md")
    set_brief(lib, "argument: wso", "argument: AIC_287g_Overview")
    used = run("check", "brief.yaml", cwd=lib)
    assert used.returncode == 1 and "rename it to 'aic-287g-overview'" in used.stderr
    set_brief(lib, "AIC_287g_Overview", "AIC_287g_Overvie")
    typo = run("check", "brief.yaml", cwd=lib)
    assert typo.returncode == 1 and "'AIC_287g_Overview'?" not in typo.stderr
    whole = run("check", "--library", cwd=lib)
    assert whole.returncode == 1 and "rename it to 'aic-287g-overview'" in whole.stderr


def test_command_line_slips(lib: Path) -> None:
    pdf = run("build", "brief.yaml", "-f", "pfd", cwd=lib)
    assert pdf.returncode == 2 and "did you mean 'pdf'?" in pdf.stderr
    head = run("build", "brief.yaml", "--letterhead", "example", "-f", "md", cwd=lib)
    assert head.returncode == 1 and "did you mean 'example-org'?" in head.stderr
    assert run("build", "brief.yaml", "-f", "docx", cwd=lib).returncode == 0
    word = run("check", "out/brief.docx", cwd=lib)
    assert word.returncode == 1 and "this is a Word (or other zipped) file, not a brief" in word.stderr
    assert "lettersmith ingest" in word.stderr and "UTF-8" not in word.stderr


def test_broken_pipe_is_quiet(lib: Path) -> None:
    for n in range(400):  # enough rows that the table outgrows the pipe
        (lib / "snippets" / f"arg-{n}.md").write_text(f"---\ntitle: Argument {n}\n---\nText {n}.\n")
    proc = subprocess.Popen(["lettersmith", "snippets", "list"], cwd=lib, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().startswith(b"ID")
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert b"Broken pipe" not in err and b"Traceback" not in err


def test_snippets_show_counts_cc_use(lib: Path) -> None:
    set_brief(lib, "cc: [Tae Johnson, Acting Director]", "cc: [secretary]")
    set_brief(lib, "to: secretary", "to: {name: Sheriff Jones}")
    shown = run("snippets", "show", "secretary", cwd=lib)
    assert "Briefs under this folder that use it:\n  brief.yaml (in cc:)" in shown.stdout


@pytest.mark.parametrize("template", ["letter", "congressional-letter"])
def test_a_signatories_title_is_printed_in_both_templates(lib: Path, template: str) -> None:
    set_brief(lib, "signatories: groups",
              f"signatories: {{use: groups, title: 'Signed, the organizations below:'}}\n"
              f"template: {template}")
    result = run("build", "brief.yaml", "-f", "txt,docx", cwd=lib)
    assert result.returncode == 0, result.stderr
    txt = (lib / "out" / "brief.txt").read_text()
    assert txt.index("Sincerely,") < txt.index("Signed, the organizations below:") \
        < txt.index("American Civil Liberties Union")
    import zipfile
    xml = zipfile.ZipFile(lib / "out" / "brief.docx").read("word/document.xml").decode()
    import re
    assert re.search(r'<w:pStyle w:val="LetterSignoff"/>(?:(?!</w:p>).)*<w:t>Signed, the organ', xml)
