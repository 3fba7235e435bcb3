"""Golden fixtures: each brief in tests/golden/cases/ must build to the Markdown
beside it.  Set LETTERSMITH_REGEN=1 to rewrite the expected files after a
deliberate change (then read the diff)."""
from __future__ import annotations

import os
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
