"""Golden fixtures: each brief in tests/golden/cases/ must build to the Markdown
beside it.  Set LETTERSMITH_REGEN=1 to rewrite the expected files after a
deliberate change (then read the diff)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from lettersmith.build import build_letter
from lettersmith.writers.md import write_markdown

CASES = sorted((Path(__file__).parent / "golden" / "cases").glob("*.yaml"))


@pytest.mark.parametrize("brief", CASES, ids=[c.stem for c in CASES])
def test_golden(brief: Path) -> None:
    got = write_markdown(build_letter(brief).doc)
    expected = brief.with_suffix(".md")
    if os.environ.get("LETTERSMITH_REGEN") or not expected.exists():
        expected.write_text(got, encoding="utf-8")
        if not os.environ.get("LETTERSMITH_REGEN"):
            pytest.fail(f"wrote missing golden file {expected.name}; check it and commit it")
    assert got == expected.read_text(encoding="utf-8")


def pandoc_md_notes(data: bytes, fmt: str) -> list[str]:
    """The notes pandoc reads from ``data``, written back as Markdown (italics kept)."""
    import tempfile

    pypandoc = pytest.importorskip("pypandoc")
    with tempfile.NamedTemporaryFile(suffix="." + fmt) as handle:
        handle.write(data)
        handle.flush()
        text = pypandoc.convert_file(handle.name, "markdown-smart", format=fmt if fmt == "docx"
                                     else "markdown-smart", extra_args=["--wrap=none"])
    return [body.strip() for body in re.findall(r"^\[\^\d+\]: (.*(?:\n {4}.*)*)", text, re.M)]


BLUEBOOK = [c for c in CASES if c.stem.startswith("bb")]


@pytest.mark.parametrize("brief", BLUEBOOK, ids=[c.stem for c in BLUEBOOK])
def test_golden_docx_notes(brief: Path) -> None:
    """The .docx carries the golden notes too: pandoc reads the same notes, italics
    included, from the Word file and from the expected Markdown."""
    from lettersmith.output import render

    expected = pandoc_md_notes(brief.with_suffix(".md").read_bytes(), "md")
    got = pandoc_md_notes(render(build_letter(brief).doc, "docx"), "docx")
    assert expected and got == expected
