"""Property tests: whatever sequence of citations a letter makes, the notes are
numbered in order and every short form points where the rules say."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lettersmith import model as m
from lettersmith.cite import CiteSettings, apply_citations

SOURCES = {
    "rep": {"type": "report", "author": [{"literal": "ACLU"}], "title": "Report Title One"},
    "art": {"type": "article-newspaper", "author": [{"family": "Doe", "given": "Jane"}],
            "title": "Article Title Two", "container-title": "Daily"},
    "web": {"type": "webpage", "title": "Web Title Three", "container-title": "Site"},
    "case": {"type": "legal_case", "title": "Roe v. Case", "title-short": "Roe",
             "volume": 1, "container-title": "F.3d", "page": 10, "authority": "9th Cir.",
             "issued": {"date-parts": [[2020]]}},
    "law": {"type": "legislation", "title": "Statute Title Five", "title-short": "Stat. 5"},
}
FULL_MARK = {k: v["title"] for k, v in SOURCES.items()}

item = st.builds(m.CiteItem, id=st.sampled_from(sorted(SOURCES)),
                 prefix=st.sampled_from(["", "", "See", "see also", "See, e.g.,"]),
                 locator=st.sampled_from(["", "", "3", "7"]))
group = st.lists(item, min_size=1, max_size=3)
letter = st.lists(group, min_size=1, max_size=25)
options = st.builds(CiteSettings, subsequent=st.sampled_from(["supra", "short", "full"]),
                    ibid=st.booleans(),
                    numbering=st.sampled_from(["arabic", "lower-roman", "upper-roman"]))


def build(groups: list[list[m.CiteItem]], opts: CiteSettings) -> m.Document:
    inlines: list[m.Inline] = []
    for n, items in enumerate(groups):
        inlines += [m.Str(f"Sentence {n}."), m.Cite([m.CiteItem(**vars(i)) for i in items]), m.Str(" ")]
    doc = m.Document([m.Para(inlines)])
    apply_citations(doc, lambda i, line: SOURCES[i], opts)
    return doc


def items_text(note: m.Note) -> list[str]:
    """The note's text split into its citations."""
    return m.plain_text(note.blocks).rstrip(".").split("; ")


@settings(max_examples=300, deadline=None)
@given(letter, options)
def test_notes_numbered_in_reading_order(groups: list[list[m.CiteItem]], opts: CiteSettings) -> None:
    doc = build(groups, opts)
    in_text = [n for n in m.walk(doc.blocks) if isinstance(n, m.Note)]
    assert in_text == doc.notes
    assert [n.number for n in doc.notes] == list(range(1, len(groups) + 1))
    assert [n.label for n in doc.notes] == [m.format_number(i, opts.numbering)
                                             for i in range(1, len(groups) + 1)]


@settings(max_examples=300, deadline=None)
@given(letter, options)
def test_short_forms(groups: list[list[m.CiteItem]], opts: CiteSettings) -> None:
    doc = build(groups, opts)
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    previous: list[tuple[str, str]] = []  # (id, locator) cited by the previous note
    for note, items in zip(doc.notes, groups):
        texts = items_text(note)
        assert len(texts) == len(items)
        refs = [n for n in m.walk(note.blocks) if isinstance(n, m.NoteRef)]
        for index, (cited, text) in enumerate(zip(items, texts)):
            sid = cited.id
            is_id = re.search(r"(^|\s)[Ii]d\b", text) is not None and FULL_MARK[sid] not in text
            if sid not in first:
                assert FULL_MARK[sid] in text, "a first citation is in full"
                assert not is_id
            elif opts.subsequent == "full" and not is_id:
                assert FULL_MARK[sid] in text
            if is_id:
                assert opts.ibid, "ibid: false never says Id."
                assert index == 0, "Id. may open a string cite, never follow its first item"
                assert len({s for s, _ in previous}) == 1 and previous[0][0] == sid
                assert cited.locator or previous[-1][1] == "", "Id. without a pin repeats the pin"
            if "supra" in text:
                assert SOURCES[sid]["type"] not in ("legal_case", "legislation")
                assert opts.subsequent == "supra"
            if SOURCES[sid]["type"] == "legal_case" and sid in last and not is_id:
                if note.number - last[sid] > 5:
                    assert FULL_MARK[sid] in text, "a case more than five notes back is in full"
            first.setdefault(sid, note.number)
            last[sid] = note.number
        for ref in refs:
            assert ref.number < note.number
            assert ref.number in first.values()
            assert ref.label == m.format_number(ref.number, opts.numbering)
        previous = [(i.id, i.locator) for i in items]
