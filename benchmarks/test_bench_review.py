"""Benchmarks (not tests): ``lettersmith review`` against pandoc reading the same
reviewed .docx with its tracked changes.

Run: python -m pytest benchmarks/test_bench_review.py -p no:cacheprovider --benchmark-only --benchmark-columns=min,median,max
The file is the example letter (13 blocks, 14 notes) with the reviewer's edits of
tests/test_review_loop.py: tracked changes in the body and a note, an untracked
rewrite, a new paragraph and note, a deleted block, two comments.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_review_loop import BRIEF, edit

    work = tmp_path_factory.mktemp("review")
    for folder in ("snippets", "templates"):
        shutil.copytree(REPO / folder, work / folder)
    (work / "examples" / "briefs").mkdir(parents=True)
    shutil.copy(BRIEF, work / "examples" / "briefs" / BRIEF.name)
    subprocess.run([sys.executable, "-m", "lettersmith", "build", f"examples/briefs/{BRIEF.name}",
                    "-o", "out"], cwd=work, check=True, capture_output=True)
    return edit(work)


def test_in_process_review(benchmark, edited: Path) -> None:
    """Read, map, compare and make the JSON report, in process."""
    from lettersmith.review.report import review_json
    from lettersmith.review.session import load_review

    data = benchmark(lambda: review_json(load_review(edited)))
    assert len(data["blocks"]) == 13


def test_whole_command_review(benchmark, edited: Path) -> None:
    """The whole `lettersmith review --json` process, start-up included."""
    cmd = [sys.executable, "-m", "lettersmith", "review", str(edited), "--json"]
    benchmark(lambda: subprocess.run(cmd, check=True, capture_output=True))


def test_whole_command_pandoc(benchmark, edited: Path) -> None:
    """pandoc reading the same file with its tracked changes and comments, to Markdown."""
    pypandoc = pytest.importorskip("pypandoc")
    cmd = [pypandoc.get_pandoc_path(), "-f", "docx", "--track-changes=all", str(edited),
           "-t", "markdown"]
    benchmark(lambda: subprocess.run(cmd, check=True, capture_output=True))
