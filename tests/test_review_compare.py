"""The comparison of a reviewed letter with its build record, on hand-made
ReviewedDocs (the reader is tested through the real command in test_review_cli)."""
from __future__ import annotations

from lettersmith.review.compare import align_notes, compare, word_changes
from lettersmith.review.model import (BuildRecord, RComment, RecordBlock, RecordNote, ReviewedDoc,
                                      RNote, RPara, Segment)
from lettersmith.review.report import review_json, review_text

S = Segment


def record() -> BuildRecord:
    return BuildRecord(1, "/b/brief.yaml", "/lib", "2026-03-02", blocks=[
        RecordBlock("text", 0, paragraphs=["We write to urge the Board to act."]),
        RecordBlock("argument", 1, id="first-arg", hash="h1",
                    paragraphs=["Sheriffs have many reasons to object to 287(g)."],
                    source="Sheriffs have many reasons to object to 287(g).[@aclu-2022, at 5]",
                    notes=[RecordNote("1", "ACLU, License to Abuse 5 (2022).",
                                      [{"id": "aclu-2022", "locator": "5"}])]),
        RecordBlock("argument", 2, id="second-arg", paragraphs=["It costs the county money."]),
        RecordBlock("heading", 3, paragraphs=["Our requests"]),
    ])


def reviewed() -> ReviewedDoc:
    paras = [
        RPara(0, "Letter Salutation", [S("same", "Dear Board,")]),
        RPara(1, "Body Text", [S("same", "We write to ask the Board to act.")], block=0),
        RPara(2, "Body Text", [S("same", "Sheriffs have "), S("del", "many ", "Ana"),
                               S("ins", "strong ", "Ana"), S("same", "reasons to object to 287(g)."),
                               S("same", "", note="5")], block=1),
        RPara(3, "Body Text", [S("same", "A new paragraph of ours."), S("same", "", note="6")]),
        RPara(4, "Heading 2", [S("same", "Our requests")], block=3),
        RPara(5, "Letter Closing", [S("same", "Thank you.")]),
    ]
    notes = {"5": RNote("5", [S("same", "ACLU, License to Abuse 5"), S("ins", ", 7", "Bo"),
                              S("same", " (2022).")]),
             "6": RNote("6", [S("same", "Jane Roe, A New Study (2025).")])}
    comments = [RComment("0", "Ana", "2026-03-05T10:00:00Z", "Too strong?", "strong",
                         paragraphs=[2], replies=[RComment("1", "Bo", "", "No.", "")]),
                RComment("2", "Bo", "2026-03-06", "Done.", "Thank you", paragraphs=[5],
                         resolved=True)]
    return ReviewedDoc("/x/edited.docx", record(), paras, notes, comments)


def test_each_block_in_letter_order_with_its_status() -> None:
    review = compare(reviewed())
    assert [(b.status, b.id, b.kind) for b in review.blocks] == [
        ("edited", None, "text"), ("edited", "first-arg", "argument"), ("added", None, "text"),
        ("deleted", "second-arg", "argument"), ("unchanged", None, "heading")]


def test_untracked_and_tracked_words() -> None:
    blocks = compare(reviewed()).blocks
    assert [(c.kind, c.text, c.tracked) for c in blocks[0].changes] == [
        ("del", "urge", False), ("ins", "ask", False)]
    assert [(c.kind, c.text, c.tracked, c.author) for c in blocks[1].changes] == [
        ("del", "many", True, "Ana"), ("ins", "strong", True, "Ana")]
    assert blocks[1].after == "Sheriffs have strong reasons to object to 287(g)."


def test_reject_takes_the_text_before_tracked_changes() -> None:
    review = compare(reviewed(), reject=True)
    first = review.blocks[1]
    assert first.after == "Sheriffs have many reasons to object to 287(g)."
    assert first.status == "unchanged"  # its note's tracked insertion is rejected too
    assert review.blocks[0].status == "edited"  # untracked edits stay


def test_notes_changed_added_and_numbered_in_the_letter() -> None:
    blocks = compare(reviewed()).blocks
    (note,) = blocks[1].notes
    assert (note.status, note.number, note.after) == ("edited", 1, "ACLU, License to Abuse 5, 7 (2022).")
    assert [c.text for c in note.changes] == [", 7"]
    (new,) = blocks[2].notes
    assert (new.status, new.number, new.record) == ("added", 2, None)


def test_comments_sit_under_their_block_and_outside_the_body() -> None:
    review = compare(reviewed())
    assert [c.text for c in review.blocks[1].comments] == ["Too strong?"]
    assert [c.text for c in review.other_comments] == ["Done."]
    data = review_json(review)
    assert data["blocks"][1]["comments"][0] == {
        "author": "Ana", "date": "2026-03-05T10:00:00Z", "anchor": "strong", "text": "Too strong?",
        "resolved": False, "replies": [{"author": "Bo", "date": "", "anchor": "", "text": "No.",
                                        "resolved": False, "replies": []}]}
    text = review_text(review)
    assert "comment by Ana, 2026-03-05 (open)" in text and "reply by Bo: No." in text


def test_json_shape() -> None:
    data = review_json(compare(reviewed()))
    assert data["file"] == "/x/edited.docx" and data["brief"] == "/b/brief.yaml"
    first = data["blocks"][1]
    assert {k: first[k] for k in ("id", "kind", "status", "inserted", "deleted")} == {
        "id": "first-arg", "kind": "argument", "status": "edited",
        "inserted": ["strong"], "deleted": ["many"]}
    assert data["blocks"][3]["deleted"] == ["It costs the county money."]


def test_word_changes_merges_a_tracked_run_split_in_two() -> None:
    changes, after = word_changes("a b c", [S("same", "a "), S("ins", "new ", "X"), S("ins", "wo", "X"),
                                            S("ins", "rds ", "X"), S("same", "b c")])
    assert [(c.text, c.tracked) for c in changes] == [("new words", True)]
    assert after == "a new words b c"


def test_align_notes_pairs_similar_and_leaves_new_ones() -> None:
    wrote = [RecordNote("1", "Alpha report 2020."), RecordNote("2", "Beta study 2021.")]
    assert align_notes(wrote, ["Alpha report 2020, 4.", "Gamma 2025.", "Beta study 2021."]) == [
        (0, 0), (None, 1), (1, 2)]
    assert align_notes(wrote, ["Beta study 2021."]) == [(0, None), (1, 0)]


def test_a_paragraph_deleted_with_tracking_is_a_deleted_block() -> None:
    doc = reviewed()
    doc.paragraphs[4].segments = [S("del", "Our requests", "Ana")]
    review = compare(doc)
    assert review.blocks[-1].status == "deleted"
    assert compare(doc, reject=True).blocks[-1].status == "unchanged"


def test_redline_escapes_everything_it_shows() -> None:
    from lettersmith.review.redline import redline_html
    doc = reviewed()
    doc.comments[0].text = "<script>alert(1)</script> & more"
    doc.paragraphs[1].segments = [S("same", "We write to <b>ask</b> the Board to act.")]
    page = redline_html(compare(doc))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "&lt;b&gt;ask&lt;/b&gt;" in page and "<b>" not in page


def test_the_comments_build_review_wrote_are_not_the_reviewers() -> None:
    doc = reviewed()
    doc.comments.append(RComment("9", "lettersmith", "2026-03-02", "Snippet: first-arg\nSources: x",
                                 "Sheriffs", paragraphs=[2]))
    assert [c.id for c in compare(doc).blocks[1].comments] == ["0"]
    doc.comments[-1].replies.append(RComment("10", "Ana", "", "Why this one?", ""))
    assert [c.id for c in compare(doc).blocks[1].comments] == ["0", "9"]


def test_a_paragraph_split_in_two_is_an_edit() -> None:
    doc = reviewed()
    whole = doc.paragraphs[2]
    doc.paragraphs.insert(3, RPara(99, "Body Text", [S("same", "reasons to object to 287(g).")], block=1))
    whole.segments = [S("same", "Sheriffs have many "), S("same", "", note="5")]
    block = compare(doc).blocks[1]
    assert block.status == "edited" and block.changes == []
