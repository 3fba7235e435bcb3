#!/usr/bin/env python3
"""Build the letterheads shipped in src/lettersmith/letterheads/.

    python tools/make_letterheads.py

default.docx      plain: US Letter, 1" margins, Times New Roman 12 pt, the letter
                  styles, page numbers from page 2.
example-org.docx  an organization's letterhead: a logo (drawn here as a PNG), the
                  organization's name and address in a first-page header, a running
                  header from page 2, Arial, and the same letter styles.

Both start from python-docx's template, trimmed of what a letter never uses.
"""
from __future__ import annotations

import datetime as dt
import io
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import docx  # noqa: E402
from docx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Inches, Pt, RGBColor  # noqa: E402

from lettersmith.writers.docx.layout import ensure_page_numbers  # noqa: E402
from lettersmith.writers.docx.package import finalize  # noqa: E402
from lettersmith.writers.docx.styles import DEFS, StyleMap  # noqa: E402

OUT = ROOT / "src" / "lettersmith" / "letterheads"
WHEN = dt.datetime(2024, 1, 1, 12)
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header",
               "HeaderChar", "Footer", "FooterChar", "Title", "TitleChar", "ListParagraph",
               "Quote", "QuoteChar", "Strong", "Emphasis"}
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def trimmed_template() -> docx.document.Document:
    """python-docx's template without the thumbnail, customXml, stylesWithEffects
    and the dozens of table styles a letter never uses."""
    word = docx.Document()
    pkg = word.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg.rels[rid]
    for rid, rel in list(word.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML or \
                rel.reltype.endswith("/stylesWithEffects"):
            del word.part.rels[rid]
    zoom = word.settings.element.find(qn("w:zoom"))
    if zoom is not None:
        zoom.set(qn("w:percent"), "100")
    styles = word.styles.element
    for style in list(styles.iterfind(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(style)
    return word


def set_look(word: docx.document.Document, font: str, size: int) -> None:
    """Fonts and spacing in docDefaults and Normal; every letter style defined."""
    styles = word.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.remove(rpr.find(qn("w:rFonts")))
    rpr.insert(0, parse_xml(f'<w:rFonts {_W} w:ascii="{font}" w:hAnsi="{font}" '
                            f'w:eastAsia="{font}" w:cs="{font}"/>'))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(size * 2))
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    smap = StyleMap(styles)
    for name in DEFS:
        if name in ("header", "footer"):
            smap.replace(name)
        else:
            smap.id(name)


def page_setup(word: docx.document.Document, top: float = 1.0) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(1)
    section.top_margin, section.bottom_margin = Inches(top), Inches(1)
    section.header_distance = section.footer_distance = Inches(0.5)


def save(word: docx.document.Document, name: str, title: str) -> None:
    props = word.core_properties
    props.title, props.author, props.comments = title, "lettersmith", ""
    props.last_modified_by, props.revision = "lettersmith", 1
    props.created = props.modified = WHEN
    out = io.BytesIO()
    word.save(out)
    (OUT / name).write_bytes(finalize(out.getvalue(), WHEN))
    print(OUT / name)


# ------------------------------------------------------------------ the logo


def png(width: int, height: int, pixel) -> bytes:
    """An RGB PNG from ``pixel(x, y) -> (r, g, b)`` using only zlib."""
    rows = b"".join(b"\0" + b"".join(bytes(pixel(x, y)) for x in range(width))
                    for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def logo_png(size: int = 240) -> bytes:
    """A round navy seal with a gold ring and a white open-book mark."""
    navy, gold, white = (24, 46, 94), (214, 164, 44), (255, 255, 255)
    c = (size - 1) / 2

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        dx, dy = x - c, y - c
        r = (dx * dx + dy * dy) ** 0.5 / c
        if r > 1:
            return white
        if r > 0.86:
            return navy
        if r > 0.78:
            return gold
        u, v = dx / c, dy / c  # -1..1
        # an open book: two pages as slanted quads, a spine down the middle
        if -0.42 <= v <= 0.38 and 0.05 <= abs(u) <= 0.55:
            top = -0.42 + 0.12 * (abs(u) - 0.05) / 0.5
            if v >= top and v <= 0.38 - 0.08 * (abs(u) - 0.05) / 0.5:
                line = (v - top) * 10 % 1
                return navy if abs(u) > 0.12 and abs(u) < 0.48 and line < 0.18 else white
        if abs(u) < 0.03 and -0.45 <= v <= 0.42:
            return gold
        return navy
    return png(size, size, pixel)


# ------------------------------------------------------------------ letterheads


def make_default() -> None:
    word = trimmed_template()
    set_look(word, "Times New Roman", 12)
    page_setup(word)
    ensure_page_numbers(word, StyleMap(word.styles.element))
    save(word, "default.docx", "lettersmith plain letterhead")


def make_example_org() -> None:
    word = trimmed_template()
    set_look(word, "Arial", 11)
    page_setup(word, top=1.0)
    section = word.sections[0]
    section.different_first_page_header_footer = True
    navy = RGBColor(24, 46, 94)

    first = section.first_page_header
    first.is_linked_to_previous = False
    table = first.add_table(rows=1, cols=2, width=Inches(6.5))
    logo_cell, text_cell = table.rows[0].cells
    logo_cell.width, text_cell.width = Inches(1.0), Inches(5.5)
    logo_cell.paragraphs[0].add_run().add_picture(io.BytesIO(logo_png()), width=Inches(0.85))
    name = text_cell.paragraphs[0]
    run = name.add_run("Coalition for Community Safety")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(16), navy
    for line in ("1200 Example Avenue NW, Suite 500 · Washington, DC 20005",
                 "(202) 555-0142 · info@communitysafety.example · communitysafety.example"):
        p = text_cell.add_paragraph()
        r = p.add_run(line)
        r.font.size, r.font.color.rgb = Pt(9), navy
    for grid_col, width in zip(table._tbl.tblGrid.iterfind(qn("w:gridCol")), (1.0, 5.5)):
        grid_col.set(qn("w:w"), str(int(width * 1440)))
    # No cell margins and a fixed layout: the logo's 0.85 in fit its 1 in cell
    # (the default 0.075 in each side left 0.85 in exactly, and LibreOffice cut it),
    # and the table starts at the page margin; the text keeps 0.1 in from the logo.
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))  # schema order: ... tblLayout, tblCellMar, tblLook
    for xml in (f'<w:tblLayout {_W} w:type="fixed"/>',
                f'<w:tblCellMar {_W}><w:left w:w="0" w:type="dxa"/>'
                f'<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'):
        if look is not None:
            look.addprevious(parse_xml(xml))
        else:
            tbl_pr.append(parse_xml(xml))
    text_cell._tc.get_or_add_tcPr().append(parse_xml(
        f'<w:tcMar {_W}><w:left w:w="144" w:type="dxa"/></w:tcMar>'))
    # the paragraph the header started with goes under the table, as a thin rule
    rule = first.paragraphs[0]._p
    table._tbl.addnext(rule)
    rule.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {_W}><w:bottom w:val="single" w:sz="12" w:space="1" w:color="182E5E"/>'
        f'</w:pBdr>'))
    rule.get_or_add_pPr().append(parse_xml(f'<w:spacing {_W} w:after="360"/>'))

    running = section.header
    running.is_linked_to_previous = False
    p = running.paragraphs[0]
    r = p.add_run("Coalition for Community Safety")
    r.font.size, r.font.color.rgb, r.bold = Pt(9), navy, True

    first_footer = section.first_page_footer
    first_footer.is_linked_to_previous = False
    p = first_footer.paragraphs[0]
    p.alignment = 1
    r = p.add_run("Protecting the civil rights of every community")
    r.italic, r.font.size, r.font.color.rgb = True, Pt(8), navy
    ensure_page_numbers(word, StyleMap(word.styles.element))
    save(word, "example-org.docx", "Coalition for Community Safety letterhead")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    make_default()
    make_example_org()
