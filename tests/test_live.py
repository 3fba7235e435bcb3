"""The parts of ``preview`` that need no browser: adding to a brief with its
comments and layout kept, the citation forms recorded per note, warning places."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    # a flow mapping over two lines, which ruamel would write on one: kept as it was
    ("body:\n  - text: Hi.\npress:\n  signers: {describe: groups, name: 2,\n"
     "            first: [the ACLU]}   # who\n", None,
     "body:\n  - text: Hi.\n  - argument: end-ice-detainers-liability\npress:\n"
     "  signers: {describe: groups, name: 2,\n            first: [the ACLU]}   # who\n"),
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
                     # Id. may open a string cite (Bluebook R4.1; issue 10 point 1)
                     [("gao-21-186", "Id."), ("cato-nowrasteh-secure-communities-2017", "supra")]]
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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(st.sampled_from(["argument: a", "text: Hi.", "heading: H"]),
                                  st.booleans(), st.booleans()), min_size=1, max_size=6),
       after=st.one_of(st.none(), st.integers(0, 7)), indent=st.sampled_from(["", "  ", "    "]))
def test_adding_inserts_exactly_one_line_where_asked(tmp_path: Path, entries: list, after: int | None,
                                                      indent: str) -> None:
    lines = ["# a brief", "subject: S  # the subject", "body:"]
    starts = []
    for n, (entry, comment, blank) in enumerate(entries):
        starts.append(len(lines))
        lines.append(f"{indent}- {entry}" + (f"   # note {n}" if comment else ""))
        if blank:
            lines.append("")
    lines += ["closing: Bye.  # end", ""]
    text = "\n".join(lines)
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")
    index = add_to_brief(path, LIBRARY.items["end-ice-detainers-liability"], after)
    new = path.read_text(encoding="utf-8").split("\n")
    added = f"{indent}- argument: end-ice-detainers-liability"
    assert new.count(added) == 1
    at = new.index(added)
    assert new[:at] + new[at + 1:] == lines  # every other line kept, in order
    last = after if after is not None and after < len(entries) else len(entries) - 1
    assert index == last + 1
    # right after the entry it follows (and a blank line kept with it), before the next one
    assert starts[last] < at <= starts[last] + 1 + entries[last][2]


def test_the_command_refuses_a_missing_brief_and_a_busy_port(tmp_path: Path) -> None:
    import socket

    from click.testing import CliRunner

    from lettersmith.cli import main
    result = CliRunner().invoke(main, ["preview", str(tmp_path / "nope.yaml"), "--no-open"])
    assert result.exit_code == 1 and "no brief at" in result.output
    brief = ROOT / "examples" / "briefs" / "new-letter-2026-county-287g.yaml"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["preview", str(brief), "--port", str(port), "--no-open"])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "--port" in result.output
    assert "Traceback" not in result.output


def test_the_search_box_ranks_as_snippets_search_does() -> None:
    from click.testing import CliRunner

    from lettersmith.cli import main
    from lettersmith.live.search import LIMIT, search_results
    result = CliRunner().invoke(main, ["snippets", "search", "detainer", "liability", "--kind",
                                       "argument", "--kind", "quote", "--kind", "fact",
                                       "--library", str(ROOT), "-n", str(LIMIT)])
    assert result.exit_code == 0, result.output
    cli_ids = [line.split()[1] for line in result.stdout.splitlines()[1:]]
    hits = search_results(LIBRARY, "detainer liability")
    assert [h["id"] for h in hits] == cli_ids and len(cli_ids) == LIMIT
    assert any("<sup" in h["html"] and 'class="notes"' in h["html"] for h in hits)
