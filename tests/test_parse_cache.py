"""Parsing a letter piece by piece (cached) gives the very blocks of parsing it whole."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lettersmith.build import build_letter
from lettersmith.parse import parse_markdown
from lettersmith.parse_cache import parse_letter

FRAGMENTS = [
    "A paragraph.[@a]", "Another *one* with a note.^[Inside, see [@b, at 3].]",
    "1. first\n2. second", "1. loose", "2. loose too", "- a\n- b", "- c",
    "> a quotation[@a]", "# A heading", "::: address\nName\\\nStreet\n:::",
    "::: signatures columns=2\nA\n\nB\n:::", "::: snippet id=x\nText.[@a]\n\nMore.\n:::",
    "    indented code or continuation", "  two-space continuation", "Line one\nline two",
    "::: outer\n::: inner\nx\n:::\n\ny\n:::", "Text[^n]\n\n[^n]: a reference note",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(["\n\n", "\n", "\n\n\n"])),
                min_size=1, max_size=8))
def test_pieces_parse_like_the_whole(parts: list[tuple[str, str]]) -> None:
    text = "".join(fragment + sep for fragment, sep in parts)
    assert parse_letter(text) == parse_markdown(text)
    assert parse_letter(text) == parse_markdown(text)  # from the cache, with lines moved


@pytest.mark.parametrize("brief", sorted(Path(__file__).parents[1].glob("examples/briefs/*.yaml")),
                         ids=lambda p: p.stem)
def test_example_letters_parse_alike(brief: Path) -> None:
    markdown = build_letter(brief).draft.markdown
    assert parse_letter(markdown) == parse_markdown(markdown)
