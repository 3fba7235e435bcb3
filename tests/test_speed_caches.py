"""What was made faster gives the same result: a letter parsed piece by piece (cached)
parses like the whole, and relationship parts are python-docx's own bytes."""
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


def test_relationship_parts_are_written_as_python_docx_writes_them(monkeypatch) -> None:
    """``rels_xml`` (string formatting, for speed) gives python-docx's own bytes."""
    import lettersmith.writers.docx as writer
    from lettersmith.writers.docx.package import rels_xml

    brief = Path(__file__).parents[1] / "examples" / "briefs" / "new-letter-2026-county-287g.yaml"
    seen = []
    original = writer.package_entries
    monkeypatch.setattr(writer, "package_entries", lambda word: seen.append(word) or original(word))
    writer.render_docx(build_letter(brief).doc, letterhead=Path("example-org"), review=True)
    package = seen[0].part.package
    all_rels = [package.rels] + [part.rels for part in package.parts if len(part.rels)]
    assert len(all_rels) > 3
    for rels in all_rels:
        assert rels_xml(rels) == rels.xml
