"""Bad input through the real ``lettersmith`` command: exit status 1, one message
naming the file and line with a fix, no traceback, and no file written."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bounded import GOLDEN_LIB, GOOD_BRIEF


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lettersmith") or sys.executable
    cmd = [exe, *args] if exe != sys.executable else [exe, "-m", "lettersmith", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.fixture()
def lib(tmp_path: Path) -> Path:
    """A copy of the golden library (snippets only: the shipped templates apply)."""
    shutil.copytree(GOLDEN_LIB / "snippets", tmp_path / "snippets")
    (tmp_path / "brief.yaml").write_text(GOOD_BRIEF, encoding="utf-8")
    return tmp_path


def build_fails(lib: Path, brief: str, *expected: str, name: str = "brief.yaml") -> str:
    (lib / name).write_text(brief, encoding="utf-8")
    result = run("build", name, "-f", "md,html,txt", cwd=lib)
    message = result.stderr
    assert result.returncode == 1, message
    assert "Traceback" not in message and "Traceback" not in result.stdout
    assert result.stdout == ""
    assert not (lib / "out").exists() or not any((lib / "out").iterdir())
    for text in expected:
        assert text in message, message
    return message


def test_good_brief_builds(lib: Path) -> None:
    result = run("build", "brief.yaml", "-f", "md,txt,html", cwd=lib)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["out/brief.md", "out/brief.txt", "out/brief.html"]
    text = (lib / "out" / "brief.md").read_text(encoding="utf-8")
    assert "[^1]: ACLU, *License to Abuse" in text
    assert "::: address" in text and "Washington, DC 20528" in text


def test_bad_yaml(lib: Path) -> None:
    build_fails(lib, "to: secretary\nbody:\n  - text: [unclosed\n", "brief.yaml:", "not valid YAML")


def test_unknown_key_suggests(lib: Path) -> None:
    build_fails(lib, GOOD_BRIEF + "subjet: typo\n", "brief.yaml:8:", "unknown key 'subjet'",
                "did you mean 'subject'")


def test_duplicate_key(lib: Path) -> None:
    build_fails(lib, GOOD_BRIEF + "subject: again\n", "brief.yaml:8:", "duplicate key 'subject'",
                "line 3")


def test_wrong_type(lib: Path) -> None:
    build_fails(lib, "to: secretary\nbody: just text\n", "brief.yaml:2:", "body should be")


def test_bad_choice(lib: Path) -> None:
    build_fails(lib, GOOD_BRIEF + "notes: {placement: sidenotes}\n", "brief.yaml:8:",
                "notes.placement", "footnotes, endnotes")


def test_unknown_argument_suggests(lib: Path) -> None:
    brief = GOOD_BRIEF.replace("argument: public-safety", "argument: public-safty")
    build_fails(lib, brief, "brief.yaml:6:", "no argument with id 'public-safty'",
                "did you mean 'public-safety'")


def test_unknown_recipient(lib: Path) -> None:
    build_fails(lib, GOOD_BRIEF.replace("to: secretary", "to: secretery"), "brief.yaml:1:",
                "did you mean 'secretary'")


def test_unknown_source_in_brief_text(lib: Path) -> None:
    build_fails(lib, GOOD_BRIEF.replace("@aclu-report", "@aclu-reprot"), "brief.yaml:5:",
                "no source with id 'aclu-reprot'", "'aclu-report'")


def test_unknown_source_in_snippet_names_snippet(lib: Path) -> None:
    snippet = lib / "snippets" / "public-safety.md"
    snippet.write_text(snippet.read_text() + "Also.[@gao-reprt]\n", encoding="utf-8")
    build_fails(lib, GOOD_BRIEF, "public-safety.md:9:", "'gao-report'")


def test_missing_variable(lib: Path) -> None:
    snippet = lib / "snippets" / "public-safety.md"
    snippet.write_text(snippet.read_text().replace("vars: {place: the country}\n", ""),
                       encoding="utf-8")
    build_fails(lib, GOOD_BRIEF, "public-safety.md:6:", "'place' is not set", "vars:")


def test_broken_template(lib: Path) -> None:
    snippet = lib / "snippets" / "public-safety.md"
    snippet.write_text(snippet.read_text() + "{% if place %}unclosed\n", encoding="utf-8")
    build_fails(lib, GOOD_BRIEF, "public-safety.md:", "template error")


def test_unknown_template(lib: Path) -> None:
    build_fails(lib, "template: leter\n" + GOOD_BRIEF, "brief.yaml:1:", "no template called 'leter'",
                "'letter'")


def test_duplicate_id_names_both_files(lib: Path) -> None:
    (lib / "snippets" / "more.yaml").write_text(
        "sources:\n  - id: aclu-report\n    type: report\n    title: Again\n", encoding="utf-8")
    message = build_fails(lib, GOOD_BRIEF, "used twice")
    assert "sources.yaml" in message and "more.yaml" in message


def test_control_character(lib: Path) -> None:
    build_fails(lib, GOOD_BRIEF.replace("A report found", "A \\f report found").replace(
        "text: A", 'text: "A').replace("report]", 'report]"'), "brief.yaml:5:", "U+000C")


def test_broken_unused_snippet_does_not_stop_build(lib: Path) -> None:
    (lib / "snippets" / "broken.md").write_text("---\ntitle: [oops\n---\n{{ nope }\n")
    (lib / "snippets" / "broken.yaml").write_text("sources: [\n")
    result = run("build", "brief.yaml", "-f", "md", cwd=lib)
    assert result.returncode == 0, result.stderr


def test_unread_file_is_mentioned_when_id_missing(lib: Path) -> None:
    (lib / "snippets" / "broken.yaml").write_text("sources:\n  - id: new-source\n   title: x\n")
    build_fails(lib, GOOD_BRIEF.replace("@aclu-report", "@new-source"), "could not be read",
                "broken.yaml")


def test_failed_build_keeps_existing_output(lib: Path) -> None:
    out = lib / "out"
    out.mkdir()
    (out / "brief.md").write_text("a reviewer's copy")
    (lib / "brief.yaml").write_text(GOOD_BRIEF.replace("public-safety", "nope"))
    result = run("build", "brief.yaml", "-f", "md", cwd=lib)
    assert result.returncode == 1
    assert (out / "brief.md").read_text() == "a reviewer's copy"
    assert [p.name for p in out.iterdir()] == ["brief.md"]


def test_missing_brief(lib: Path) -> None:
    result = run("build", "nope.yaml", cwd=lib)
    assert result.returncode == 1 and "nope.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_command_line_exits_2(lib: Path) -> None:
    assert run("build", cwd=lib).returncode == 2
    assert run("build", "brief.yaml", "--no-such-option", cwd=lib).returncode == 2


def test_unknown_format(lib: Path) -> None:
    """A wrong -f is a wrong command line (exit 2), as README promises."""
    result = run("build", "brief.yaml", "-f", "dox", cwd=lib)
    assert result.returncode == 2 and "did you mean 'docx'" in result.stderr
    assert run("build", "brief.yaml", "-f", "pfd", cwd=lib).returncode == 2


def test_open_letter_without_recipient(lib: Path) -> None:
    (lib / "brief.yaml").write_text(GOOD_BRIEF.replace("to: secretary\n", ""))
    result = run("build", "brief.yaml", "-f", "md", cwd=lib)
    assert result.returncode == 0, result.stderr
    text = (lib / "out" / "brief.md").read_text()
    assert "::: address" not in text and "::: salutation" not in text
