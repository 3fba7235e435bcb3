"""Word files for review: bookmarks mark the argument blocks, --review comments,
document properties, the hash inside the file, and stable bytes."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from test_docx_notes import NS, W, check_three_ways, parts, write, xml
from test_docx_support import sample_letter, validate

from lettersmith.writers.docx import docx_was_edited, render_docx
from lettersmith.writers.docx.letterhead import LETTERHEADS


def block_paragraphs(data: bytes) -> dict[str, list]:
    """Bookmark name -> the paragraphs from its start to its end, for ``_lsb`` marks."""
    body = xml(data, "word/document.xml")
    paras = body.findall(".//w:p", NS)
    out = {}
    for start in body.iter(W + "bookmarkStart"):
        name = start.get(W + "name")
        if not name.startswith("_lsb"):
            continue
        end = body.find(f".//w:bookmarkEnd[@w:id='{start.get(W + 'id')}']", NS)
        first, last = paras.index(start.getparent()), paras.index(end.getparent())
        out[name] = paras[first:last + 1]
    return out


def test_argument_blocks_are_bookmarked_not_content_controls(tmp_path):
    doc = sample_letter()
    data = render_docx(doc)
    check_three_ways(write(tmp_path, data), doc)
    body = xml(data, "word/document.xml")
    assert body.find(".//w:sdt", NS) is None, "no content controls: LibreOffice breaks them"
    marks = block_paragraphs(data)
    assert list(marks) == ["_lsb0", "_lsb1"]  # the model's snippet parts carry no n
    # the block's paragraphs and its note references are inside the bookmark
    assert len(marks["_lsb0"]) == 2
    assert sum(len(p.findall(".//w:footnoteReference", NS)) for p in marks["_lsb0"]) == 3
    # python-docx sees every paragraph of the letter, argument blocks included
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert any(t.startswith("Sheriffs, police chiefs") for t in texts)
    assert "comments.xml" not in "".join(parts(data))


@pytest.mark.parametrize("letterhead", [None, LETTERHEADS / "example-org.docx"])
def test_review_writes_one_comment_per_argument_block(letterhead, tmp_path):
    doc = sample_letter()
    data = render_docx(doc, letterhead=letterhead, review=True)
    check_three_ways(write(tmp_path, data), doc)
    comments = xml(data, "word/comments.xml").findall("w:comment", NS)
    assert len(comments) == 2
    text = ["\n".join("".join(t.text for t in p.iter(W + "t")) for p in c.findall("w:p", NS))
            for c in comments]
    assert "Snippet: leo-critics" in text[0]
    assert "Title: Law enforcement leaders oppose 287(g)" in text[0]
    assert "Origin: 2023-02-21 letter of seven organizations" in text[0]
    assert "Sources: aclu-license-to-abuse-2022, leap-2021-letter" in text[0]
    assert "Sources: none" in text[1]
    assert {c.get(W + "author") for c in comments} == {"lettersmith"}
    assert {c.get(W + "date") for c in comments} == {"2023-02-21T12:00:00Z"}
    body = xml(data, "word/document.xml")
    for paras, comment in zip(block_paragraphs(data).values(), comments):
        cid = comment.get(W + "id")
        assert paras[0].find(f"w:commentRangeStart[@w:id='{cid}']", NS) is not None
        assert paras[-1].find(f"w:commentRangeEnd[@w:id='{cid}']", NS) is not None
    assert len(body.findall(".//w:commentReference", NS)) == 2
    word = docx.Document(io.BytesIO(data))
    assert len(list(word.comments)) == 2


def test_document_properties():
    data = render_docx(sample_letter())
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "End ICE's 287(g) Program"
    assert props.subject == "End ICE's 287(g) Program"
    assert props.author == "ACLU"
    assert props.keywords == "287g, wso"
    assert props.created.replace(tzinfo=None) == dt.datetime(2023, 2, 21, 12, 0)
    assert props.comments == ""


def test_same_letter_same_bytes():
    assert render_docx(sample_letter()) == render_docx(sample_letter())
    assert render_docx(sample_letter(), review=True) == render_docx(sample_letter(), review=True)


def test_hash_recorded_inside_the_file(tmp_path):
    path = write(tmp_path, render_docx(sample_letter()))
    validate(path)
    custom = parts(path.read_bytes())["docProps/custom.xml"].decode()
    assert 'name="lettersmith-hash"' in custom
    assert docx_was_edited(path) is False


def test_an_edit_is_detected(tmp_path):
    path = write(tmp_path, render_docx(sample_letter()))
    word = docx.Document(str(path))
    word.paragraphs[5].add_run(" A reviewer's words.")
    word.save(str(path))
    assert docx_was_edited(path) is True


def test_a_resave_without_changes_counts_as_edited(tmp_path):
    # a reviewer who opened and saved may have changed anything: never overwrite
    path = write(tmp_path, render_docx(sample_letter()))
    docx.Document(str(path)).save(str(path))
    assert docx_was_edited(path) is True


def test_changing_only_a_part_inside_the_zip_is_detected(tmp_path):
    path = write(tmp_path, render_docx(sample_letter()))
    entries = parts(path.read_bytes())
    entries["word/footnotes.xml"] = entries["word/footnotes.xml"].replace(b"Id.", b"Ibid.")
    with zipfile.ZipFile(path, "w") as z:
        for name, blob in entries.items():
            z.writestr(name, blob)
    assert docx_was_edited(path) is True


def test_foreign_missing_and_broken_files(tmp_path):
    assert docx_was_edited(tmp_path / "nothing-here.docx") is False
    foreign = tmp_path / "foreign.docx"
    docx.Document().save(str(foreign))
    assert docx_was_edited(foreign) is True
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert docx_was_edited(broken) is True


def test_a_letterhead_with_custom_properties_keeps_them(tmp_path):
    base = render_docx(sample_letter())  # has a custom.xml with our hash
    entries = parts(base)
    entries["docProps/custom.xml"] = entries["docProps/custom.xml"].replace(
        b"</Properties>",
        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="9" name="Client">'
        b"<vt:lpwstr>ACME</vt:lpwstr></property></Properties>")
    letterhead = tmp_path / "lh.docx"
    with zipfile.ZipFile(letterhead, "w") as z:
        for name, blob in entries.items():
            z.writestr(name, blob)
    path = write(tmp_path, render_docx(sample_letter(), letterhead=letterhead))
    validate(path)
    custom = parts(path.read_bytes())["docProps/custom.xml"].decode()
    assert custom.count("lettersmith-hash") == 1 and "ACME" in custom
    assert docx_was_edited(path) is False
