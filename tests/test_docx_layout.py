"""Word layout: letter parts as styles, letterheads kept (header text, logo,
first page), page numbers from page 2, sign-on columns, signature blocks."""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Inches
from test_docx_notes import NS, W, check_three_ways, parts, write, xml
from test_docx_support import (Div, Document, Para, S, lines, number_notes, sample_letter,
                               validate)

from lettersmith.errors import LettersmithError
from lettersmith.writers.docx import render_docx
from lettersmith.writers.docx.letterhead import LETTERHEADS

EXAMPLE = LETTERHEADS / "example-org.docx"


def styles_of(data: bytes) -> dict[str, str]:
    """paragraph text -> style id, for the body's paragraphs."""
    body = xml(data, "word/document.xml")
    out = {}
    for p in body.iter(W + "p"):
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        style = p.find("w:pPr/w:pStyle", NS)
        out[text] = style.get(W + "val") if style is not None else None
    return out


def test_letter_parts_get_their_styles(tmp_path):
    data = render_docx(sample_letter())
    check_three_ways(write(tmp_path, data), sample_letter())
    st = styles_of(data)
    assert st["February 21, 2023"] == "LetterDate"
    assert st["The Honorable Alejandro MayorkasSecretary of Homeland SecurityWashington, "
              "DC 20528"] == "LetterAddress"
    assert st["Via email"] == "LetterVia"
    assert st["Re:7 Leading Immigrant Rights Groups Urge You to End ICE\u2019s 287(g) "
              "Program"] == "LetterSubject"
    assert st["Dear Secretary Mayorkas,"] == "LetterSalutation"
    assert st["Sincerely,"] == "LetterSignoff"
    assert st["(1) End Trump-era 287(g) Agreements"] == "Heading2"
    assert st["cc:Tae Johnson, Acting Director of Immigration and Customs Enforcement"] \
        == "LetterCC"
    assert st["For questions, please contact Naureen Shah at nshah@aclu.org."] \
        == "LetterContact"
    # the address keeps its lines as line breaks; no empty paragraphs anywhere
    body = xml(data, "word/document.xml")
    address = [p for p in body.iter(W + "p")
               if p.find("w:pPr/w:pStyle[@w:val='LetterAddress']", NS) is not None][0]
    assert len(address.findall(".//w:br", NS)) == 2
    empty = [p for p in body.iter(W + "p")
             if not list(p.iter(W + "t")) and p.getparent().tag != W + "tc"]
    assert empty == []


def test_subject_is_bold_on_a_hanging_indent():
    data = render_docx(sample_letter())
    styles = xml(data, "word/styles.xml")
    subject = styles.find("w:style[@w:styleId='LetterSubject']", NS)
    assert subject.find("w:rPr/w:b", NS) is not None
    assert subject.find("w:pPr/w:ind", NS).get(W + "hanging") == "720"
    body = xml(data, "word/document.xml")
    p = [p for p in body.iter(W + "p")
         if p.find("w:pPr/w:pStyle[@w:val='LetterSubject']", NS) is not None][0]
    assert p.find(".//w:tab", NS) is not None


def test_numbered_asks_are_real_numbering():
    data = render_docx(sample_letter())
    body = xml(data, "word/document.xml")
    items = [p for p in body.iter(W + "p") if p.find("w:pPr/w:numPr", NS) is not None]
    assert len(items) == 3
    num_ids = {p.find("w:pPr/w:numPr/w:numId", NS).get(W + "val") for p in items}
    assert len(num_ids) == 1
    numbering = xml(data, "word/numbering.xml")
    num = numbering.find(f"w:num[@w:numId='{num_ids.pop()}']", NS)
    abstract_id = num.find("w:abstractNumId", NS).get(W + "val")
    abstract = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS)
    assert abstract.find("w:lvl/w:numFmt", NS).get(W + "val") == "decimal"


def test_page_numbers_from_page_two():
    data = render_docx(sample_letter())
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    assert section.different_first_page_header_footer
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml
    assert "PAGE" not in section.first_page_footer._element.xml


def test_sign_on_list_in_two_columns(tmp_path):
    doc = sample_letter(signers=120, columns="2")
    data = render_docx(doc)
    validate(write(tmp_path, data))
    body = xml(data, "word/document.xml")
    names = [p for p in body.iter(W + "p")
             if p.find("w:pPr/w:pStyle[@w:val='LetterSignature']", NS) is not None]
    assert len(names) == 120
    # the list is its own continuous section with two columns
    sect = names[-1].find("w:pPr/w:sectPr", NS)
    assert sect.find("w:cols", NS).get(W + "num") == "2"
    assert sect.find("w:type", NS).get(W + "val") == "continuous"
    # the section before it keeps the letterhead's headers and the first-page setup
    before = names[0].getprevious().find("w:pPr/w:sectPr", NS)
    assert before.find("w:headerReference", NS) is not None or \
        before.find("w:footerReference", NS) is not None
    assert before.find("w:titlePg", NS) is not None
    final = body.find("w:body/w:sectPr", NS)
    assert final.find("w:type", NS).get(W + "val") == "continuous"
    assert final.find("w:footerReference", NS) is None
    word = docx.Document(io.BytesIO(data))
    assert len(word.sections) == 3


@pytest.mark.parametrize("columns", ["1", "3"])
def test_sign_on_list_one_or_three_columns(columns, tmp_path):
    data = render_docx(sample_letter(signers=30, columns=columns))
    validate(write(tmp_path, data))
    cols = [c.get(W + "num") for c in xml(data, "word/document.xml").iter(W + "cols")]
    if columns == "1":
        assert all(c is None for c in cols)
    else:
        assert "3" in cols


def test_signature_list_at_the_very_end_sets_the_last_section(tmp_path):
    doc = number_notes(Document([Div("signoff", [Para([S("Sincerely,")])]),
                                 Div("signatures", [lines(*[f"Org {i}" for i in range(40)])],
                                     {"columns": "2"})]))
    data = render_docx(doc)
    validate(write(tmp_path, data))
    final = xml(data, "word/document.xml").find("w:body/w:sectPr", NS)
    assert final.find("w:cols", NS).get(W + "num") == "2"


def test_members_of_congress_signature_blocks_three_to_a_row(tmp_path):
    doc = sample_letter(congress=True)
    data = render_docx(doc)
    check_three_ways(write(tmp_path, data), doc)
    body = xml(data, "word/document.xml")
    tables = body.findall(".//w:tbl", NS)
    assert len(tables) == 1
    tbl = tables[0]
    rows = tbl.findall("w:tr", NS)
    assert len(rows) == 3 and all(len(r.findall("w:tc", NS)) == 3 for r in rows)
    assert all(b.get(W + "val") == "nil" for b in tbl.find("w:tblPr/w:tblBorders", NS))
    first = ["".join(t.text for t in p.iter(W + "t")) for p in rows[0][2].findall("w:p", NS)]
    assert first == ["/s/", "Adriano Espaillat", "Member of Congress"]
    word = docx.Document(io.BytesIO(data))
    assert word.tables[0].cell(0, 0).paragraphs[0].text == "Jan Schakowsky"


def test_example_letterhead_keeps_header_logo_and_first_page(tmp_path):
    doc = sample_letter()
    data = render_docx(doc, letterhead=EXAMPLE)
    check_three_ways(write(tmp_path, data), doc)
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    first = section.first_page_header
    text = "\n".join(c.text for t in first.tables for r in t.rows for c in r.cells)
    assert "Coalition for Community Safety" in text
    assert "Washington, DC 20005" in text
    images = [rel for rel in first.part.rels.values() if rel.reltype == RT.IMAGE]
    assert images and images[0].target_part.blob.startswith(b"\x89PNG")
    assert "Coalition for Community Safety" in section.header.paragraphs[0].text
    assert section.different_first_page_header_footer
    # its styles are kept: Arial in the letterhead, not the default Times New Roman
    assert b"Arial" in parts(data)["word/styles.xml"]
    assert b"Times New Roman" not in parts(data)["word/styles.xml"]
    assert section.page_width == Inches(8.5)


def foreign_letterhead(tmp_path: Path, *, with_style: bool) -> Path:
    """A letterhead made elsewhere: A4, a header, no first-page setup, no footer."""
    word = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = docx.shared.Mm(210), docx.shared.Mm(297)
    section.header.paragraphs[0].text = "ACME Advocacy \u2014 100 Main St"
    if with_style:
        style = word.styles.add_style("Letter Date", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
        style.font.name = "Courier New"
    word.add_paragraph("Body text of the template that must not appear.")
    path = tmp_path / "acme.docx"
    word.save(str(path))
    return path


def test_foreign_letterhead_gets_first_page_header_and_page_numbers(tmp_path):
    doc = sample_letter()
    data = render_docx(doc, letterhead=foreign_letterhead(tmp_path, with_style=False))
    check_three_ways(write(tmp_path, data), doc)
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    assert abs(section.page_width.mm - 210) < 0.1
    assert section.first_page_header.paragraphs[0].text.startswith("ACME Advocacy")
    assert section.header.paragraphs[0].text.startswith("ACME Advocacy")
    assert "PAGE" in section.footer._element.xml
    assert "must not appear" not in "\n".join(p.text for p in word.paragraphs)
    assert "LetterDate" in parts(data)["word/styles.xml"].decode()


def test_letterhead_style_wins_over_the_default(tmp_path):
    data = render_docx(sample_letter(), letterhead=foreign_letterhead(tmp_path, with_style=True))
    styles = xml(data, "word/styles.xml")
    mine = [s for s in styles.findall("w:style", NS)
            if s.find("w:name", NS).get(W + "val") == "Letter Date"]
    assert len(mine) == 1
    assert b"Courier New" in parts(data)["word/styles.xml"]
    assert styles_of(data)["February 21, 2023"] == mine[0].get(W + "styleId")


def test_a_dotx_template_is_accepted_as_letterhead(tmp_path):
    import zipfile
    src = foreign_letterhead(tmp_path, with_style=False)
    dotx = tmp_path / "acme.dotx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dotx, "w") as zout:
        for info in zin.infolist():
            blob = zin.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            zout.writestr(info, blob)
    data = render_docx(sample_letter(), letterhead=dotx)
    validate(write(tmp_path, data))
    assert b"document.main+xml" in parts(data)["[Content_Types].xml"]


def test_bad_letterheads_are_input_errors(tmp_path):
    with pytest.raises(LettersmithError, match="not found"):
        render_docx(sample_letter(), letterhead=tmp_path / "missing.docx")
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip")
    with pytest.raises(LettersmithError, match="not a Word"):
        render_docx(sample_letter(), letterhead=bad)


def test_shipped_letterheads_are_valid():
    for path in LETTERHEADS.glob("*.docx"):
        validate(path)
        docx.Document(str(path))
