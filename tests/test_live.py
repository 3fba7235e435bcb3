"""The parts of ``preview`` that need no browser: adding to a brief with its
comments and layout kept, the citation forms recorded per note, warning places."""
from __future__ import annotations

from pathlib import Path

import pytest

from lettersmith.build import build_letter
from lettersmith.errors import LettersmithError
from lettersmith.library import load_library
from lettersmith.live.brief_edit import add_to_brief
from lettersmith.live.letter import build_live, warning_marks

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = load_library(ROOT)


def _brief(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o640)
    return path


@pytest.mark.parametrize("text, at, expected", [
    # the example's style: sequences indented under body, comments at line ends
    ("# top comment\nto: x   # who\nbody:\n  - text: Hi.   # first\n  - argument: a\n\n"
     "# trailing comment\nclosing: Bye.\n", 0,
     "# top comment\nto: x   # who\nbody:\n  - text: Hi.   # first\n"
     "  - argument: end-ice-detainers-liability\n  - argument: a\n\n"
     "# trailing comment\nclosing: Bye.\n"),
    # no indent before '-', 4-space mappings, a flow mapping and a quoted string kept
    ("body:\n- argument: a\n  vars: {state: Texas}\n- text: 'It''s late.'\nvars:\n    x: 1\n",
     None,
     "body:\n- argument: a\n  vars: {state: Texas}\n- text: 'It''s late.'\n"
     "- argument: end-ice-detainers-liability\nvars:\n    x: 1\n"),
])
def test_adding_keeps_comments_and_layout(tmp_path: Path, text: str, at: int | None,
                                          expected: str) -> None:
    path = _brief(tmp_path, text)
    add_to_brief(path, LIBRARY.items["end-ice-detainers-liability"], at)
    assert path.read_text(encoding="utf-8") == expected
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["brief.yaml"]  # no temporary left


def test_a_fact_and_a_quote_become_body_items(tmp_path: Path) -> None:
    path = _brief(tmp_path, "subject: S\n")
    add_to_brief(path, LIBRARY.items[next(iter(LIBRARY.ids("fact")))], None)
    add_to_brief(path, LIBRARY.items[next(iter(LIBRARY.ids("quote")))], 0)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "subject: S" and lines[1] == "body:"
    assert lines[2].startswith("- text: '{{ fact(\"") and lines[3].startswith("- quote: ")


def test_a_broken_brief_is_not_touched(tmp_path: Path) -> None:
    text = "body:\n  - argument: a\n  - [unclosed\n"
    path = _brief(tmp_path, text)
    with pytest.raises(LettersmithError) as err:
        add_to_brief(path, LIBRARY.items["end-ice-detainers-liability"], None)
    assert str(err.value).startswith(f"{path}:")
    assert path.read_text(encoding="utf-8") == text


def test_each_note_records_the_form_and_why(tmp_path: Path) -> None:
    cato = "cato-nowrasteh-secure-communities-2017"
    brief = _brief(tmp_path, f"library: {ROOT}\nto: {{name: X}}\nbody:\n"
                   f"  - text: A.[@gao-21-186] B.[@gao-21-186, at 4] C.[@{cato}]"
                   f" D.[@gao-21-186] E.[See @gao-21-186; @{cato}]\n")
    notes = build_letter(brief).doc.notes
    forms = [[(f.source, f.form) for f in n.forms] for n in notes]
    assert forms == [[("gao-21-186", "full")], [("gao-21-186", "Id.")],
                     [("cato-nowrasteh-secure-communities-2017", "full")],
                     [("gao-21-186", "supra")],
                     [("gao-21-186", "supra"), ("cato-nowrasteh-secure-communities-2017", "supra")]]
    assert notes[3].forms[0].reason == "cited in full in note 1"


def test_the_live_build_marks_body_items_and_the_html_matches_build(tmp_path: Path) -> None:
    brief = ROOT / "examples" / "briefs" / "new-letter-2026-county-287g.yaml"
    live, plain = build_live(brief), build_letter(brief)
    assert [n.label for n in live.doc.notes] == [n.label for n in plain.doc.notes]
    marks = [d.attrs["n"] for d in live.doc.blocks if getattr(d, "kind", "") == "body-item"]
    assert marks == [str(i) for i in range(len(live.brief.body))]


def test_warnings_are_placed_at_the_blocks_and_notes_they_name() -> None:
    doc = build_letter(ROOT / "examples" / "briefs" / "new-letter-2026-county-287g.yaml").doc
    mark = warning_marks("snippets/sources/x.yaml:3: warning: source 'gao-21-186' (report) has "
                         "no URL", doc)
    assert mark["notes"] == [14] and mark["snippets"] == ["wso-liability-and-oversight"]
    mark = warning_marks("f.yaml:9: warning: fact 'x' is stale: ...; used in argument "
                         "'287g-empowers-racist-officials' (a.md:3)", doc)
    assert mark["snippets"] == ["287g-empowers-racist-officials"] and mark["notes"] == []
