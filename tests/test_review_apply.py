"""The pieces of ``review --apply``: the word patch onto a template, the notes of
a block's Markdown, the brief's round trip, and ``from:`` in the brief reader."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lettersmith.brief import read_brief
from lettersmith.errors import LettersmithError
from lettersmith.review.apply import dash_offset, round_trip_yaml, yaml_text
from lettersmith.review.markup import cite_markup, guard_jinja, source_notes
from lettersmith.review.model import RecordNote
from lettersmith.review.patch import patch

TEMPLATE = ('The {{ program }} harms *public safety* in {{ place }}.[@aclu, at 5]\n'
            'Second line {{ fact("x", cite=false) }} here.\n')
RENDERED = ('The 287(g) program harms *public safety* in the county.[@aclu, at 5]\n'
            'Second line 138 agencies here.')


def test_patch_keeps_template_code_and_markup_the_reviewer_did_not_touch() -> None:
    new = "The 287(g) program badly harms public safety in the county.[@aclu, at 5] Second line 138 agencies here, sadly."
    assert patch(TEMPLATE, RENDERED, new) == (
        'The {{ program }} badly harms *public safety* in {{ place }}.[@aclu, at 5]\n'
        'Second line {{ fact("x", cite=false) }} here, sadly.\n')


def test_patch_refuses_an_edit_inside_computed_words() -> None:
    new = "The 287(g) scheme harms public safety in the county.[@aclu, at 5] Second line 138 agencies here."
    assert patch(TEMPLATE, RENDERED, new) is None


words = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "*em*", "x.", "y,"]),
                 min_size=0, max_size=12)


@given(words, words)
def test_patch_without_template_code_gives_the_new_words(old: list[str], new: list[str]) -> None:
    """Property: with no template code, the patched text says exactly the reviewer's words
    (emphasis marks aside, which Word shows but does not type)."""
    result = patch(" ".join(old), " ".join(old), " ".join(w.replace("*", "") for w in new))
    assert result is not None
    assert result.replace("*", "").split() == [w.replace("*", "") for w in new]


def test_source_notes_in_order() -> None:
    source = ('A claim.[See, e.g., @a (paren)] Then ^[A note with [@b] inside] and '
              '[a link](http://x.org) and \\[not a cite @c\\] then [@d, at 5; see also @e].')
    assert source_notes(source) == ["[See, e.g., @a (paren)]", "^[A note with [@b] inside]",
                                    "[@d, at 5; see also @e]"]


def test_cite_markup_from_the_record() -> None:
    note = RecordNote("3", "text", [{"id": "a", "prefix": "See", "locator": "12", "suffix": "(x)"},
                                    {"id": "b", "prefix": "see also", "locator": "", "suffix": ""}])
    assert cite_markup(note) == "[See @a, at 12 (x); see also @b]"
    assert guard_jinja("costs {{ x }}") == "{% raw %}costs {{ x }}{% endraw %}"
    assert guard_jinja("plain {braces}") == "plain {braces}"


@pytest.mark.parametrize("text", [
    "body:\n  - text: a  # note\n  - argument: b\n",
    "body:\n- text: a\n- argument: 'b'   # quoted\n",
    "# head\nvars: {a: 1}\nbody:\n    - text: \"a\"\n",
])
def test_round_trip_keeps_the_brief_as_written(text: str) -> None:
    yaml = round_trip_yaml(text)
    assert yaml_text(yaml, yaml.load(text)) == text
    assert dash_offset("body:\n  - a\n") == 2 and dash_offset("body:\n- a\n") == 0


def test_from_goes_only_on_a_text_block(tmp_path: Path) -> None:
    brief = tmp_path / "b.yaml"
    brief.write_text("body:\n  - text: Our own words.\n    from: some-argument\n", encoding="utf-8")
    assert read_brief(brief).body[0].origin == "some-argument"
    brief.write_text("body:\n  - heading: Hi\n    from: some-argument\n", encoding="utf-8")
    with pytest.raises(LettersmithError) as err:
        read_brief(brief)
    assert "'from:' goes only on a text block" in str(err.value) and err.value.line == 3
