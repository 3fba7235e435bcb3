"""A source's other address (``also-at``) and a brief's choice of it (``addresses:``),
through the real command: the February 2023 rebuild cites the campaign site, the
2021 letter keeps Medium, and mistakes end with one message."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lettersmith.cli import main

ROOT = Path(__file__).resolve().parents[1]
FEB = "2023-02-21-seven-groups-end-287g"
CONGRESS = "2021-02-11-congress-end-entanglement"


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    shutil.copytree(ROOT / "snippets", root / "snippets")
    shutil.copytree(ROOT / "examples", root / "examples")
    return root


def build_txt(root: Path, name: str, tmp_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(root / "examples" / "briefs" / f"{name}.yaml"),
                                       "-o", str(tmp_path / "out"), "-f", "txt"])
    path = tmp_path / "out" / f"{name}.txt"
    return result.exit_code, path.read_text(encoding="utf-8") if path.exists() else result.output


def test_each_letter_cites_the_address_its_original_cited(library, tmp_path):
    code, feb = build_txt(library, FEB, tmp_path)
    assert code == 0, feb
    note = next(l for l in feb.splitlines() if "Latino Community" in l)
    assert "https://joebiden.com/latino-agenda/" in note and "Medium" not in note
    code, congress = build_txt(library, CONGRESS, tmp_path)
    assert code == 0, congress
    note = next(l for l in congress.splitlines() if "Latino Community" in l)
    assert "medium.com/@JoeBiden" in note and "\u201d Medium," in note


@pytest.mark.parametrize("choice, expected", [
    ("{biden-latino-agenda-2020: campain}", r"has no address called 'campain'\n  did you mean 'campaign'"),
    ("{biden-latino-agenda: campaign}", r"no source with id 'biden-latino-agenda'.*\n  did you mean 'biden-latino-agenda-2020'"),
])
def test_a_wrong_choice_is_one_message(library, tmp_path, choice, expected):
    brief = library / "examples" / "briefs" / f"{FEB}.yaml"
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text.replace("{biden-latino-agenda-2020: campaign}", choice), encoding="utf-8")
    code, output = build_txt(library, FEB, tmp_path)
    assert code == 1
    assert re.search(rf"{FEB}\.yaml:\d+: .*{expected}", output), output
    assert "Traceback" not in output


def test_check_warns_about_a_choice_for_a_source_not_cited(library):
    brief = library / "examples" / "briefs" / "2023-06-15-coalition-doj-profiling.yaml"
    brief.write_text(brief.read_text(encoding="utf-8")
                     + "addresses: {biden-latino-agenda-2020: campaign}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(brief)])
    assert result.exit_code == 0, result.output
    assert re.search(r"coalition-doj-profiling\.yaml:\d+: warning: addresses: names source "
                     r"'biden-latino-agenda-2020', which the letter does not cite", result.output)
