"""Reading reviewed .docx files back (issue 8, points 1 and the reader): the build
record and bookmarks lettersmith writes, what survives a LibreOffice re-save (note
marks in place in the XML and in the PDF, every block still mapped), text
alignment when every anchor is gone, and malformed files."""
from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reviewdocs import NEW, REPO as REPO_ROOT, build, marked, number_notes, strip_anchors
from test_docx_support import validate

from lettersmith.errors import LettersmithError
from lettersmith.pdf import find_soffice, libreoffice_convert
from lettersmith.review import ooxml
from lettersmith.review.align import align, mapped_blocks
from lettersmith.review.read import read_reviewed

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice not installed")
KINDS = ["text", "heading", "argument", "argument", "argument", "heading", "argument",
         "argument", "heading", "argument", "argument", "asks"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build(NEW, tmp_path_factory.mktemp("built"))


@pytest.fixture(scope="module")
def office(built, tmp_path_factory) -> dict[str, Path]:
    """The built letter (with --review comments) re-saved by LibreOffice, and the
    built letter and the re-saved one as PDF (3 conversions)."""
    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    folder = tmp_path_factory.mktemp("office")
    out = {"resaved": folder / "resaved.docx", "built.pdf": folder / "built.pdf",
           "resaved.pdf": folder / "resaved.pdf"}
    reviewed = build(NEW, folder, "--review")
    out["resaved"].write_bytes(libreoffice_convert(reviewed.read_bytes(), "docx"))
    out["built.pdf"].write_bytes(libreoffice_convert(built.read_bytes(), "pdf"))
    out["resaved.pdf"].write_bytes(libreoffice_convert(out["resaved"].read_bytes(), "pdf"))
    return out


# ------------------------------------------------------------ what is written


def test_every_body_item_is_a_recorded_bookmarked_block(built):
    validate(built)
    doc = read_reviewed(built)
    record = doc.record
    assert record is not None
    assert [b.kind for b in record.blocks] == KINDS
    assert [b.item for b in record.blocks] == list(range(12))
    assert record.brief == str(NEW.resolve()) and Path(record.library).is_dir()
    assert record.built == "2026-03-02"
    assert set(record.snippet_hashes) >= {b.id for b in record.blocks if b.id}
    assert sorted(doc.bookmarks) == list(range(12))
    align(doc)
    assert mapped_blocks(doc) == {n: "bookmark" for n in range(12)}
    number_notes(doc)
    for n, block in enumerate(record.blocks):
        paras = [p for p in doc.paragraphs if p.block == n]
        # the record holds exactly the text written, paragraph by paragraph, and its notes
        assert [p.accepted() for p in paras] == block.paragraphs
        notes = [doc.notes[i].accepted() for p in paras for i in p.note_ids()]
        assert notes == [note.text for note in block.notes]
    first = record.blocks[2]
    assert first.id == "law-enforcement-leaders-oppose-287g" and first.title
    assert "[@leap-2021-letter" in first.source  # the Markdown with its citations
    assert first.notes[0].cites[0]["id"] == "nilc-law-enforcement-leaders-2013"
    assert first.notes[0].cites[0]["prefix"] == "See, e.g.,"
    assert record.blocks[11].paragraphs[0] == "We therefore ask the Board to:"
    assert len(record.blocks[11].paragraphs) == 4
    # python-docx sees the argument paragraphs (no content controls hide them)
    texts = [p.text for p in docx.Document(str(built)).paragraphs]
    assert first.paragraphs[0] in texts


def test_review_comments_sit_on_the_argument_blocks(tmp_path):
    path = build(NEW, tmp_path, "--review")
    validate(path)
    doc = align(read_reviewed(path))
    assert len(doc.comments) == 7
    for comment in doc.comments:
        blocks = {doc.paragraphs[i].block for i in comment.paragraphs}
        assert len(blocks) == 1
        block = doc.record.blocks[blocks.pop()]
        assert comment.text.startswith(f"Snippet: {block.id}")
        assert comment.author == "lettersmith" and not comment.resolved
        assert comment.anchor.startswith(block.paragraphs[0][:40])


# ------------------------------------------------------------ LibreOffice


@needs_soffice
def test_libreoffice_resave_keeps_note_marks_and_blocks(built, office):
    before, after = read_reviewed(built), read_reviewed(office["resaved"])
    validate(office["resaved"])
    assert after.record == before.record
    assert after.bookmarks == before.bookmarks
    number_notes(before)
    number_notes(after)
    assert len(before._order) == len(after._order) == 14
    # every note mark in the same place of the same paragraph
    assert [marked(after, p) for p in after.paragraphs] == \
        [marked(before, p) for p in before.paragraphs]
    assert [after.notes[n].accepted() for n in after._order] == \
        [before.notes[n].accepted() for n in before._order]
    align(after)
    assert mapped_blocks(after) == {n: "bookmark" for n in range(12)}
    # the --review comments are still there, each on its own argument block
    assert len(after.comments) == 7
    on = [{after.paragraphs[i].block for i in c.paragraphs} for c in after.comments]
    assert on == [{n} for n, b in enumerate(after.record.blocks) if b.kind == "argument"]


def _pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub(r"\s+", " ", text)


@needs_soffice
@pytest.mark.parametrize("pdf", ["built.pdf", "resaved.pdf"])
def test_pdf_shows_each_note_mark_after_its_words(built, office, pdf):
    if subprocess.run(["which", "pdftotext"], capture_output=True).returncode:
        pytest.skip("poppler not installed")
    text = _pdf_text(office[pdf])
    doc = read_reviewed(built)
    number_notes(doc)
    checked = 0
    for p in doc.paragraphs:
        before = ""
        for seg in p.segments:
            if seg.note is None:
                before += seg.text
                continue
            words = before.split()[-3:]
            assert " ".join(words) + str(doc._order[seg.note]) in text, (pdf, words)
            checked += 1
    assert checked == 14
    assert not re.search(r"\d{2,}Sheriffs", text), "no bunched marks at a paragraph start"


# ------------------------------------------------------------ no anchors left


@pytest.mark.parametrize("which", ["built", "resaved"])
def test_without_anchors_every_block_is_found_by_text(built, which, request):
    path = built if which == "built" else request.getfixturevalue("office")["resaved"]
    truth = align(read_reviewed(path))
    bare = path.with_name(f"bare-{which}.docx")
    bare.write_bytes(strip_anchors(path.read_bytes()))
    validate(bare)
    doc = read_reviewed(bare)
    assert doc.record is None and doc.bookmarks == {}
    align(doc, truth.record)
    assert mapped_blocks(doc) == {n: "text" for n in range(12)}  # 12/12 = 100%
    assert [p.block for p in doc.paragraphs] == [p.block for p in truth.paragraphs]


def test_text_alignment_keeps_letter_order_and_leaves_new_text_unmapped(built):
    truth = align(read_reviewed(built))
    doc = read_reviewed(io.BytesIO(strip_anchors(built.read_bytes())))
    # the reviewer rewrote a sentence of block 2, and wrote a paragraph of their own
    p = next(p for p in doc.paragraphs if p.index == 7)
    p.segments[0].text = p.segments[0].text.replace("Sheriffs, police chiefs and prosecutors",
                                                    "Many sheriffs and police chiefs")
    doc.paragraphs.insert(9, type(p)(99, "Body Text", [type(p.segments[0])(
        "same", "The county has never published how many residents it has handed to ICE.")]))
    align(doc, truth.record)
    assert p.block == 2 and p.mapped_by == "text"
    assert doc.paragraphs[9].block is None
    blocks = [q.block for q in doc.paragraphs if q.block is not None]
    assert blocks == sorted(blocks)


# ------------------------------------------------------------ tracked changes


def _package(document: str, footnotes: str = "", comments: str = "", extended: str = ""
             ) -> bytes:
    """A minimal .docx around the given parts (as Word relates them)."""
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
          'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"')
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    rels = [("footnotes", "footnotes.xml", footnotes), ("comments", "comments.xml", comments),
            ("commentsExtended", "commentsExtended.xml", extended)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" '
                   'ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="r1" Type="{rel}'
                   'officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", f"<w:document {ns}><w:body>{document}</w:body>"
                   "</w:document>")
        items = []
        for i, (kind, name, xml) in enumerate(rels):
            if xml:
                z.writestr(f"word/{name}", xml.replace("NS", ns))
                base = "http://schemas.microsoft.com/office/2011/relationships/" \
                    if kind == "commentsExtended" else rel
                items.append(f'<Relationship Id="r{i}" Type="{base}{kind}" Target="{name}"/>')
        z.writestr("word/_rels/document.xml.rels", '<Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships">' + "".join(items)
                   + "</Relationships>")
    return out.getvalue()


def test_tracked_changes_moves_notes_and_comments(tmp_path):
    body = (
        '<w:p><w:pPr><w:pStyle w:val="BodyText"/></w:pPr>'
        '<w:commentRangeStart w:id="1"/><w:r><w:t xml:space="preserve">Keep </w:t></w:r>'
        '<w:ins w:id="5" w:author="Ana" w:date="2026-03-05T10:00:00Z"><w:r><w:t>new </w:t>'
        '</w:r></w:ins><w:del w:id="6" w:author="Ben" w:date="2026-03-06T10:00:00Z"><w:r>'
        '<w:delText>old </w:delText></w:r></w:del><w:r><w:t>words.</w:t></w:r>'
        '<w:commentRangeEnd w:id="1"/><w:r><w:footnoteReference w:id="2"/></w:r></w:p>'
        '<w:tbl><w:tr><w:tc><w:p><w:moveFrom w:id="7" w:author="Ana"><w:r><w:t>Moved'
        '</w:t></w:r></w:moveFrom></w:p></w:tc></w:tr></w:tbl>'
        '<w:sdt><w:sdtContent><w:p><w:moveTo w:id="8" w:author="Ana"><w:r><w:t>Moved</w:t>'
        '</w:r></w:moveTo><w:hyperlink><w:r><w:t xml:space="preserve"> here</w:t></w:r>'
        '</w:hyperlink><w:r><w:tab/><w:t>x</w:t></w:r></w:p></w:sdtContent></w:sdt>')
    notes = ('<w:footnotes NS><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
             '<w:separator/></w:r></w:p></w:footnote><w:footnote w:id="2"><w:p><w:r>'
             '<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Id. at </w:t></w:r>'
             '<w:del w:id="9" w:author="Ana"><w:r><w:delText>5</w:delText></w:r></w:del>'
             '<w:ins w:id="10" w:author="Ana"><w:r><w:t>6</w:t></w:r></w:ins>'
             '<w:r><w:t>.</w:t></w:r></w:p></w:footnote></w:footnotes>')
    comments = ('<w:comments NS><w:comment w:id="1" w:author="Ana" w:date="2026-03-05T10:00:00Z">'
                '<w:p w14:paraId="00000001"><w:r><w:t>Why?</w:t></w:r></w:p></w:comment>'
                '<w:comment w:id="3" w:author="Ben" w:date="2026-03-06T10:00:00Z">'
                '<w:p w14:paraId="00000002"><w:r><w:t>Because.</w:t></w:r></w:p></w:comment>'
                '</w:comments>')
    extended = ('<w15:commentsEx NS><w15:commentEx w15:paraId="00000001" w15:done="1"/>'
                '<w15:commentEx w15:paraId="00000002" w15:paraIdParent="00000001" '
                'w15:done="0"/></w15:commentsEx>')
    path = tmp_path / "edited.docx"
    path.write_bytes(_package(body, notes, comments, extended))
    doc = read_reviewed(path)
    assert doc.record is None
    first, moved_from, moved_to = doc.paragraphs
    assert first.style == "BodyText"
    assert [(s.kind, s.text, s.author) for s in first.segments] == [
        ("same", "Keep ", ""), ("ins", "new ", "Ana"), ("del", "old ", "Ben"),
        ("same", "words.", ""), ("same", "", "")]
    assert first.accepted() == "Keep new words." and first.rejected() == "Keep old words."
    assert first.note_ids() == ["2"]
    assert (moved_from.rejected(), moved_from.accepted()) == ("Moved", "")
    assert moved_to.accepted() == "Moved here\tx" and moved_to.rejected() == " here\tx"
    note = doc.notes["2"]
    assert (note.accepted(), note.rejected()) == ("Id. at 6.", "Id. at 5.")
    [comment] = doc.comments
    assert (comment.author, comment.text, comment.anchor) == ("Ana", "Why?", "Keep new words.")
    assert comment.paragraphs == [0] and comment.resolved
    assert [(r.author, r.text, r.resolved) for r in comment.replies] == [("Ben", "Because.", False)]


# ------------------------------------------------------------ malformed files


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("case, message", [
    ("text", "not a Word (.docx) file"),
    ("nodoc", "no document part"),
    ("broken", "not well-formed XML"),
    ("entities", "declares a DTD or entities"),
    ("record", "build record inside the file is damaged"),
    ("missing", "no such file"),
])
def test_malformed_files_are_clear_errors(built, tmp_path, case, message):
    path = tmp_path / "bad.docx"
    parts = _parts(built)
    if case == "text":
        path.write_text("Dear Board, ...")
    elif case == "nodoc":
        path.write_bytes(_zip({k: v for k, v in parts.items() if k != "word/document.xml"}))
    elif case == "broken":
        parts["word/document.xml"] = parts["word/document.xml"][:-40]
        path.write_bytes(_zip(parts))
    elif case == "entities":
        parts["word/document.xml"] = (
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">'
            b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            b'main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
        path.write_bytes(_zip(parts))
    elif case == "record":
        parts["customXml/item1.xml"] = parts["customXml/item1.xml"].replace(b'"blocks":',
                                                                            b'"blocks":{,')
        path.write_bytes(_zip(parts))
    with pytest.raises(LettersmithError) as err:
        read_reviewed(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_inflating_past_the_cap_is_refused(built, monkeypatch):
    monkeypatch.setattr(ooxml, "MAX_INFLATED", 20_000)
    with pytest.raises(LettersmithError, match="inflates to more than"):
        read_reviewed(built)


@pytest.fixture(scope="module")
def review_docx(tmp_path_factory) -> bytes:
    return build(NEW, tmp_path_factory.mktemp("fuzz"), "--review").read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(part=st.sampled_from(["word/document.xml", "word/footnotes.xml", "word/comments.xml",
                             "word/commentsExtended.xml", "customXml/item1.xml",
                             "_rels/.rels", "word/_rels/document.xml.rels", None]),
       cut=st.integers(0, 30_000), junk=st.binary(max_size=40))
def test_mangled_docx_never_tracebacks(review_docx, tmp_path_factory, part, cut, junk):
    """Cut a part (or the whole zip) anywhere and splice junk in: read_reviewed either
    reads it or raises LettersmithError naming the file, nothing else."""
    if part is None:
        data = review_docx[:cut] + junk + review_docx[cut + len(junk):]
    else:
        with zipfile.ZipFile(io.BytesIO(review_docx)) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        blob = parts.get(part, b"")
        at = cut % (len(blob) + 1)
        parts[part] = blob[:at] + junk + blob[at:]
        data = _zip(parts)
    path = tmp_path_factory.mktemp("mangled") / "m.docx"
    path.write_bytes(data)
    try:
        doc = read_reviewed(path)
    except LettersmithError as err:
        assert str(path) in str(err)
        return
    align(doc)


@pytest.mark.parametrize("which", ["built", "resaved"])
def test_reviewed_and_stripped_maps_as_the_bookmarks_do(built, which, request, tmp_path):
    """The review loop's edits (tracked and untracked, a new paragraph, a deleted
    block), then every anchor removed: text alignment maps each paragraph to the
    block its bookmark named, and the deleted block to nothing."""
    from review_edits import Reviewer
    from test_review_loop import NEW_NOTE, NEW_SENTENCE, OLD_SENTENCE
    path = built if which == "built" else request.getfixturevalue("office")["resaved"]
    r = Reviewer(path)
    r.insert(r.block(2), "Sheriffs, ", "deputies, ")
    r.delete(r.block(2), "some of ")
    r.rewrite(r.block(0), OLD_SENTENCE, NEW_SENTENCE)
    r.add_paragraph(r.block(3), "Counties that ended their agreements saw no rise in crime.",
                    NEW_NOTE)
    r.remove(r.block(9))
    edited = r.save(tmp_path / "edited.docx")
    truth = align(read_reviewed(edited))
    assert sorted(mapped_blocks(truth)) == [n for n in range(12) if n != 9]
    bare = tmp_path / "bare.docx"
    bare.write_bytes(strip_anchors(edited.read_bytes()))
    doc = align(read_reviewed(bare), truth.record)
    assert mapped_blocks(doc) == {n: "text" for n in range(12) if n != 9}  # 11/11
    assert [p.block for p in doc.paragraphs] == [p.block for p in truth.paragraphs]


def test_a_lettersmith_letter_as_letterhead_leaves_one_record(built, tmp_path):
    out = build(NEW, tmp_path, "--letterhead", str(built))
    validate(out)
    with zipfile.ZipFile(out) as z:
        items = [n for n in z.namelist() if re.fullmatch(r"customXml/item\d+\.xml", n)]
    assert items == ["customXml/item1.xml"]
    assert read_reviewed(out).record.blocks[2].id == "law-enforcement-leaders-oppose-287g"


def test_every_kind_of_body_item_is_a_block(tmp_path):
    """text, heading, argument, quote and asks: one recorded, bookmarked block each."""
    brief = tmp_path / "brief.yaml"
    brief.write_text(f"""library: {REPO_ROOT}
to: example-county-board
subject: Every kind of block
body:
  - text: We write about the county's agreement.[@leap-2021-letter]
  - heading: Why
  - argument: 287g-makes-communities-less-safe
  - quote: leap-2021-end-immediately
  - asks: [end the agreement, publish the numbers]
    intro: "We ask the Board to:"
signatories: [Example Group]
""", encoding="utf-8")
    out = build(brief, tmp_path)
    validate(out)
    doc = align(read_reviewed(out))
    kinds = [(b.kind, b.id) for b in doc.record.blocks]
    assert kinds == [("text", None), ("heading", None),
                     ("argument", "287g-makes-communities-less-safe"),
                     ("quote", "leap-2021-end-immediately"), ("asks", None)]
    assert mapped_blocks(doc) == {n: "bookmark" for n in range(5)}
    quote = doc.record.blocks[3]
    assert quote.paragraphs[0].startswith("the 287(g) program needs to end")  # block quote: no marks
    assert quote.notes[0].cites[0]["id"] == "leap-2021-letter"
    assert [len(b.paragraphs) for b in doc.record.blocks] == [1, 1, 1, 1, 3]
    for n, block in enumerate(doc.record.blocks):
        assert [p.accepted() for p in doc.paragraphs if p.block == n] == block.paragraphs


@needs_soffice
def test_a_reviewed_file_resaved_by_libreoffice_reads_the_same(built, tmp_path):
    """Tracked changes (body and note), comments and a resolved one come through a
    reviewer's LibreOffice save unchanged (one more conversion)."""
    from review_edits import Reviewer
    r = Reviewer(built)
    r.insert(r.block(2), "Sheriffs, ", "deputies, ")
    r.delete(r.block(2), "some of ")
    r.insert(r.footnote_with("Hines and Giovanni Peri"), " ", "This study covers 2008 to 2013. ")
    r.comment(r.block(2), "deputies, ", "Should we name deputies here?", author="Ana Reviewer",
              date="2026-03-05T11:00:00Z")
    r.comment(r.block(6), "most explicitly racist", "Source for this?", author="Bo Staff",
              date="2026-03-06T09:30:00Z", resolved=True)
    edited = r.save(tmp_path / "edited.docx")
    resaved = tmp_path / "resaved.docx"
    resaved.write_bytes(libreoffice_convert(edited.read_bytes(), "docx"))

    def seen(path: Path) -> tuple:
        doc = align(read_reviewed(path))
        changes = [(p.block, s.kind, s.text, s.author) for p in doc.paragraphs
                   for s in p.segments if s.kind != "same"]
        notes = sorted((s.kind, s.text) for n in doc.notes.values() for s in n.segments
                       if s.kind != "same")
        comments = [(c.author, c.date, c.text, c.anchor, c.resolved,
                     [doc.paragraphs[i].block for i in c.paragraphs]) for c in doc.comments]
        return changes, notes, comments

    before = seen(edited)
    assert before[0] == [(2, "ins", "deputies, ", "Ana Reviewer"),
                         (2, "del", "some of ", "Ana Reviewer")]
    assert before[1] == [("ins", "This study covers 2008 to 2013. ")]
    assert [c[4] for c in before[2]] == [False, True] and [c[5] for c in before[2]] == [[2], [6]]
    assert seen(resaved) == before
