"""``lettersmith check`` through the real command."""
from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from lettersmith.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "basic"
EXAMPLES = Path(__file__).parents[1] / "examples" / "briefs"
REPO = Path(__file__).parents[1]

LIBRARY = """\
sources:
  - id: good-report
    type: report
    author: [{literal: ACLU}]
    title: A complete report
    issued: {date-parts: [[2022, 4]]}
    URL: https://www.aclu.org/report
  - id: bare-report
    type: report
    title: A report without author or date
    URL: https//broken.example
  - id: bare-article
    type: article-newspaper
    author: [{family: Doe, given: Jane}]
    title: An article without its newspaper
    issued: {date-parts: [[2020, 1, 2]]}
  - id: nobody-cites-me
    type: webpage
    title: Lonely page
    URL: https://example.org/lonely
quotes:
  - id: anonymous
    text: something was said
facts:
  - id: old-count
    text: 138 agencies
    as-of: 2021-01-01
    source: good-report
recipients:
  - id: sec
    name: The Secretary
    salutation: Dear Secretary,
signatories:
  - id: twice
    signers: [ACLU, United We Dream, "The ACLU"]
"""

ARGUMENT = """\
---
title: An argument using an old fact
tags: [counts]
---
Today {{ fact("old-count") }} take part.^[A note with prose and no citation.]
"""

UNUSED = """\
---
title: Broken and unused
---
This cites a source that does not exist.[@no-such-source]
"""


def make_library(root: Path) -> Path:
    (root / "snippets").mkdir(parents=True)
    (root / "snippets" / "items.yaml").write_text(LIBRARY)
    (root / "snippets" / "counts.md").write_text(ARGUMENT)
    brief = root / "brief.yaml"
    brief.write_text(textwrap.dedent("""\
        to: sec
        date: 2023-06-01
        body:
          - argument: counts
          - text: "Reports agree.[@bare-report] Press too.[@bare-article] {{ quote('anonymous') }}"
        signatories: twice
        """))
    return brief


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["lettersmith", *args], cwd=cwd, capture_output=True, text=True)


def test_brief_reports_each_warning(tmp_path: Path) -> None:
    make_library(tmp_path)
    result = run("check", "brief.yaml", cwd=tmp_path)
    err = result.stderr
    assert result.returncode == 0, err
    assert "fact 'old-count' is stale: as of 2021-01-01, 2 years 5 months before 2023-06-01" in err
    assert "used in argument 'counts' (snippets/counts.md:5)" in err
    assert "source 'bare-report' (report) has no author or publisher; no date (issued)" in err
    assert "source 'bare-article' (article-newspaper) has no container-title" in err
    assert "URL 'https//broken.example' does not start with http://" in err
    assert "quote 'anonymous' has no speaker, no date, no source" in err
    assert "duplicate signer" in err and "'The ACLU'" in err
    assert "note 2 in argument 'counts' cites no source" in err
    assert "snippets/items.yaml:27: warning: fact 'old-count'" in err  # the as-of line
    assert "brief.yaml: ok, 0 error(s)" in result.stdout
    assert "Broken and unused" not in err


def test_stale_after_threshold(tmp_path: Path) -> None:
    make_library(tmp_path)
    result = run("check", "brief.yaml", "--stale-after", "3y", cwd=tmp_path)
    assert "stale" not in result.stderr
    bad = run("check", "brief.yaml", "--stale-after", "soon", cwd=tmp_path)
    assert bad.returncode == 1 and "not a duration" in bad.stderr and "Traceback" not in bad.stderr


def test_errors_exit_1_and_all_are_listed(tmp_path: Path) -> None:
    brief = make_library(tmp_path)
    brief.write_text(textwrap.dedent("""\
        to: sec
        body:
          - argument: countz
          - text: "See.[@missing-source]"
        """))
    result = run("check", "brief.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "brief.yaml:3: no argument with id 'countz'" in result.stderr
    assert "did you mean 'counts'" in result.stderr
    assert "brief.yaml:4: no source with id 'missing-source'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    brief = make_library(tmp_path)
    brief.write_text("to: sec\nsubjct: x\nbody: []\n")
    result = CliRunner().invoke(main, ["check", str(brief)])
    assert result.exit_code == 1
    assert ":2: unknown key 'subjct'" in result.output and "subject" in result.output


def test_library_checks_unused_items(tmp_path: Path) -> None:
    make_library(tmp_path)
    (tmp_path / "snippets" / "unused.md").write_text(UNUSED)
    result = run("check", "--library", cwd=tmp_path)
    assert result.returncode == 1
    assert "snippets/unused.md:4: no source with id 'no-such-source'" in result.stderr
    assert "source 'nobody-cites-me' is cited by no argument" in result.stderr
    assert "source 'bare-report' is cited" in result.stderr  # only the brief cites it
    assert "signatories 'twice' lists 'The ACLU' twice" in result.stderr


def test_library_option_with_a_folder(tmp_path: Path) -> None:
    make_library(tmp_path)
    result = run("check", "--library", str(tmp_path), cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert f"library {tmp_path}: ok" in result.stdout


def test_missing_vars_are_warned_in_library_check(tmp_path: Path) -> None:
    make_library(tmp_path)
    (tmp_path / "snippets" / "needs.md").write_text("---\ntitle: Needs a var\n---\n"
                                                      "In {{ state }} the program grew.\n")
    result = run("check", "--library", cwd=tmp_path)
    assert "argument 'needs' uses {{ state }}, which has no default" in result.stderr


def test_fixture_brief_is_clean_of_errors(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "lib", ignore=shutil.ignore_patterns(".lettersmith", "out"))
    result = run("check", "brief.yaml", cwd=tmp_path / "lib")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("brief", sorted(EXAMPLES.glob("*.yaml")) if EXAMPLES.is_dir() else [])
def test_example_briefs_have_no_errors(brief: Path) -> None:
    result = run("check", str(brief), cwd=REPO)
    assert result.returncode == 0, result.stderr
