"""Body items are wrapped in parts (``::: block``/``::: snippet`` for the build record,
``:::: body-item`` in the preview); the wrappers must not change the letter's text."""
from __future__ import annotations

from pathlib import Path

import pytest

from lettersmith import model as m
from lettersmith.build import build_letter
from lettersmith.live.letter import build_live

BRIEFS = sorted((Path(__file__).resolve().parents[1] / "examples" / "briefs").glob("*.yaml"))


@pytest.mark.parametrize("brief", BRIEFS, ids=lambda p: p.stem)
def test_preview_and_build_read_the_same_text(brief):
    built, live = build_letter(brief), build_live(brief)
    assert m.plain_text(live.doc.blocks) == m.plain_text(built.doc.blocks)
    breaks = [n for n in m.walk(live.doc.blocks) if isinstance(n, m.LineBreak)]
    assert len(breaks) == len([n for n in m.walk(built.doc.blocks) if isinstance(n, m.LineBreak)])
