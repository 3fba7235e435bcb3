"""Benchmarks (not tests): lettersmith against pandoc on the same 55-note letter.

Run: python -m pytest benchmarks -p no:cacheprovider --benchmark-only --benchmark-columns=min,median,max
The letter cites the golden library's sources 55 times (full forms, Id., supra).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lettersmith.build import build_letter
from lettersmith.output import render

LIB = Path(__file__).resolve().parents[1] / "tests" / "golden" / "lib"
SOURCES = ["aclu-report", "gao-report", "miroff-2020", "savit-2021", "cato-blog",
           "gonzalez-9th", "eo-13985", "leap-letter", "press-2023"]


@pytest.fixture(scope="module")
def brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench")
    sentences = []
    for n in range(55):
        source = SOURCES[(n * 7) % len(SOURCES) if n % 3 else (n // 3) % len(SOURCES)]
        pin = f", at {n}" if n % 4 == 0 else ""
        sentences.append(f"Sentence {n} makes a point about the program.[@{source}{pin}]")
    paragraphs = [" ".join(sentences[i:i + 5]) for i in range(0, 55, 5)]
    body = "\n".join(f"  - text: \"{p}\"" for p in paragraphs)
    path = folder / "bench.yaml"
    path.write_text(f"library: {LIB}\nto: secretary\ndate: 2023-02-21\nbody:\n{body}\n")
    return path


@pytest.fixture(scope="module")
def markdown(brief: Path) -> Path:
    path = brief.with_suffix(".md")
    path.write_bytes(render(build_letter(brief).doc, "md"))
    return path


def test_in_process_docx(benchmark, brief: Path) -> None:
    """Render + parse + cite + Word, in process (library and imports already warm)."""
    result = benchmark(lambda: render(build_letter(brief).doc, "docx"))
    assert result[:2] == b"PK"


def test_whole_command_docx(benchmark, brief: Path, tmp_path: Path) -> None:
    """The whole `lettersmith build -f docx` process, start-up included."""
    cmd = [sys.executable, "-m", "lettersmith", "build", str(brief), "-o", str(tmp_path), "-f", "docx"]
    env = {**os.environ, "LETTERSMITH_HISTORY": str(tmp_path / "history.sqlite")}  # not the library's
    benchmark(lambda: subprocess.run(cmd, check=True, capture_output=True, env=env))


def test_whole_command_pandoc(benchmark, markdown: Path, tmp_path: Path) -> None:
    """pandoc doing the same job: the same letter's Markdown (55 notes) to .docx."""
    pypandoc = pytest.importorskip("pypandoc")
    cmd = [pypandoc.get_pandoc_path(), str(markdown), "-o", str(tmp_path / "p.docx")]
    benchmark(lambda: subprocess.run(cmd, check=True, capture_output=True))
