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


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abAZ019 ,.;:()'\"/-*_[]`\\<>&#!~^@\n", max_size=24))
def test_plain_inline_text_is_its_own_parse(text: str) -> None:
    """``parse_inline``'s shortcut for plain text gives what markdown-it-py gives."""
    from lettersmith import parse

    full = parse.parse_markdown(text)
    expected = full[0].inlines if len(full) == 1 and isinstance(full[0], parse.m.Para) else (
        [parse.m.Str(text)] if text else [])
    assert parse.parse_inline(text) == expected


def test_a_letter_built_again_skips_the_markdown_parser(tmp_path: Path) -> None:
    """The second ``build`` of the same letter takes its parse and its YAML from the
    disk caches: neither markdown-it-py nor PyYAML is imported, and the .docx has
    the same bytes."""
    import os
    import shutil
    import subprocess
    import sys

    repo = Path(__file__).parents[1]
    shutil.copytree(repo / "snippets", tmp_path / "snippets")
    brief = tmp_path / "letter.yaml"
    brief.write_text((repo / "examples" / "briefs" / "2023-02-21-seven-groups-end-287g.yaml")
                     .read_text().replace("library: ../..", f"library: {tmp_path}"))
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("LETTERSMITH_NO_CACHE", None)
    probe = ("import sys, runpy; sys.argv = ['lettersmith', *sys.argv[1:]]\n"
             "try: runpy.run_module('lettersmith', run_name='__main__')\n"
             "except SystemExit: pass\n"
             "print('markdown_it' in sys.modules, 'yaml' in sys.modules, [m for m in "
             "('ssl', 'email', 'http', 'urllib.request', 'xml.sax') if m in sys.modules], "
             "file=sys.stderr)")
    runs = []
    for out in ("first", "second"):
        done = subprocess.run([sys.executable, "-c", probe, "build", str(brief), "-o",
                               str(tmp_path / out)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, check=True)
        runs.append(done.stderr.strip().splitlines()[-1])
    # a rebuild parses nothing again; no build pulls in the network stack
    assert runs == ["True True []", "False False []"]
    assert len(list((tmp_path / "cache" / "lettersmith" / "parse").glob("*.pickle"))) == 1
    first, second = (tmp_path / d / "letter.docx" for d in ("first", "second"))
    assert first.read_bytes() == second.read_bytes()


def test_yaml_from_the_disk_cache_keeps_lines_and_mistakes(tmp_path: Path, monkeypatch) -> None:
    """A text loaded again comes from the disk, with the same values and lines (front
    matter offsets too); a mistake is never cached and is reported every time."""
    from lettersmith.errors import LettersmithError
    from lettersmith.yamlfile import load_yaml

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("LETTERSMITH_NO_CACHE", raising=False)
    text = "id: a\nitems:\n  - one\n  - {k: 2}\ndate: 2025-02-20\n"
    first, again, shifted = load_yaml(text, "x.yaml"), load_yaml(text, "x.yaml"), load_yaml(
        text, "x.md", first_line=3)
    assert len(list((tmp_path / "lettersmith" / "yaml").glob("*.pickle"))) == 1
    assert first == again == shifted and first is not again
    assert (again.lines, again["items"].lines) == ({"id": 1, "items": 2, "date": 5}, [3, 4])
    assert (shifted.lines["date"], shifted["items"].lines) == (7, [5, 6])
    for _ in range(2):
        with pytest.raises(LettersmithError, match="duplicate key") as err:
            load_yaml("a: 1\na: 2\n", "bad.yaml")
        assert (err.value.file, err.value.line) == ("bad.yaml", 2)


def test_a_cache_that_cannot_be_written_is_ignored(tmp_path: Path, monkeypatch) -> None:
    """With the cache folder unusable (here a file stands where it should be), YAML
    and letters still load, and nothing is left behind."""
    from lettersmith import parse_cache
    from lettersmith.yamlfile import load_yaml

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv("LETTERSMITH_NO_CACHE", raising=False)
    assert load_yaml("a: [1, 2]\n", "x.yaml") == {"a": [1, 2]}
    monkeypatch.setattr(parse_cache.markdown, "cache_info", lambda: type("I", (), {"currsize": 0}))
    text = "A paragraph.[@a]\n\nAnother.\n"
    assert parse_cache.parse_letter(text) == parse_markdown(text)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_copied_notes_and_shared_parts_give_the_bytes_written_afresh() -> None:
    """Notes copied from an earlier letter (with their styles and links asked for again,
    or written afresh when the links came out otherwise), and letterhead parts shared
    until written, give the bytes of a letter written with every cache empty."""
    from lettersmith.output import render
    from lettersmith.writers.docx import notes, styles, zipout

    def empty() -> None:
        notes._WRITTEN.clear()
        styles._INDEX.clear()
        zipout._CACHE.clear()

    briefs = sorted(Path(__file__).parents[1].glob("examples/briefs/*.yaml"))
    letters = [(build_letter(brief).doc, head) for brief in briefs
               for head in (None, "example-org")]
    fresh = []
    for doc, head in letters:
        empty()
        fresh.append(render(doc, "docx", letterhead=head))
    for doc, head in letters + letters[::-1]:  # every note written, in another order
        render(doc, "docx", letterhead=head)
    assert notes._WRITTEN
    assert [render(doc, "docx", letterhead=head) for doc, head in letters] == fresh
